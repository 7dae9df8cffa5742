import { OVERSIGHT_ROUTES, describeRouteContract } from './route-contract';

describeRouteContract('oversight commands over HTTP (API.md)', OVERSIGHT_ROUTES);

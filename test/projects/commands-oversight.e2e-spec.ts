import { OVERSIGHT_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('oversight commands over HTTP (API.md)', OVERSIGHT_ROUTES);

import { OVERSIGHT_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('oversight commands over HTTP (docs/api.md)', OVERSIGHT_ROUTES);

import { ACCEPTANCE_ROUTES, describeRouteContract } from './route-contract';

describeRouteContract('acceptance commands over HTTP (API.md)', ACCEPTANCE_ROUTES);

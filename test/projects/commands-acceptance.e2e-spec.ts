import { ACCEPTANCE_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('acceptance commands over HTTP (API.md)', ACCEPTANCE_ROUTES);

import { ACCEPTANCE_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('acceptance commands over HTTP (docs/api.md)', ACCEPTANCE_ROUTES);

import { CONSTRUCTION_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('construction commands over HTTP (docs/api.md)', CONSTRUCTION_ROUTES);

import { CONSTRUCTION_ROUTES, describeRouteContract } from '../support/route-contract';

describeRouteContract('construction commands over HTTP (API.md)', CONSTRUCTION_ROUTES);

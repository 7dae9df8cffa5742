import { CONSTRUCTION_ROUTES, describeRouteContract } from './route-contract';

describeRouteContract('construction commands over HTTP (API.md)', CONSTRUCTION_ROUTES);

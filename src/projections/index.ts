import { annualPlansProjection } from './annual-plans.projection';
import type { Projection } from './projection';
import { projectsProjection } from './projects.projection';

/** Every read model the service maintains. */
export const ALL_PROJECTIONS: readonly Projection[] = [projectsProjection, annualPlansProjection];

import { annualPlansProjection } from './annual-plans/annual-plans.projection';
import { frameworksProjection } from './frameworks/frameworks.projection';
import type { Projection } from './projections/projection';
import { projectsProjection } from './projects/projects.projection';
import { recordsProjection } from './projects/records.projection';
import { systemsProjection } from './systems/systems.projection';

/** Every read model the service maintains: each feature owns its projection. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  projectsProjection,
  annualPlansProjection,
  systemsProjection,
  frameworksProjection,
  recordsProjection,
];

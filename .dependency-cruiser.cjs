// dependency-cruiser: `npm run -s check:deps` (depcruise src --config .dependency-cruiser.cjs).
//
// The layers of src/, lowest first. A module may import its own layer and the layers below it,
// never one above; feature modules (L4) may not import one another.
//   L0 domain          pure decision logic: Node built-ins only, no npm package, nothing else in src
//   L1 infrastructure  config, clock, metrics, tokens, stores.module; event-store, read-model, leases, document-store
//   L2 application     application errors, command context; commands (handler, idempotency); projections
//   L3 http            cross-cutting HTTP: auth guard, problem+json filter, visibility guard, DTO fields, pipes
//   L4 features        projects, annual-plans, systems, frameworks, audit, subscriptions, platform|operations, web
//   L5 composition     app.ts, app.module.ts, all-projections.ts, main.ts, cli/
// Type-only imports count too (tsPreCompilationDeps): a layer that needs a higher layer's types
// depends on it all the same.

const L0 = '^src/domain/';
const L1 = '^src/(infrastructure|event-store|read-model|leases|document-store)/';
const L2 = '^src/(application|commands|projections)/';
const L3 = '^src/http/';
const FEATURES = [
  'projects',
  'annual-plans',
  'systems',
  'frameworks',
  'audit',
  'subscriptions',
  'platform',
  'operations',
  'web',
  'documents',
];
const L4 = `^src/(${FEATURES.join('|')})/`;
const L5 = '^src/(app\\.ts|app\\.module\\.ts|all-projections\\.ts|main\\.ts|cli/)';
const LAYERED = [L0, L1, L2, L3, L4, L5];

// Files of one feature that another feature may import (its published port), as path regexes.
// Empty on purpose: add an entry with a comment saying who needs it and why, e.g.
//   '^src/projects/[^/]+\\.port\\.ts$', // audit reads project history through the projects port
const CROSS_FEATURE_ALLOWED = [];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // --- structure --------------------------------------------------------------------------
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module may depend on itself through others (type-only cycles included).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-test-or-bench',
      severity: 'error',
      comment: 'The service never imports its tests or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'src-not-to-dev-dependency',
      severity: 'error',
      comment: 'src/ runs in production, where devDependencies are not installed (type-only imports are fine).',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-orphans',
      severity: 'warn',
      comment: 'A module nothing imports is dead code or an entry point (entry points are excluded).',
      from: { orphan: true, pathNot: ['\\.d\\.ts$', '^src/main\\.ts$', '^src/cli/'] },
      to: {},
    },

    // --- L0: the domain is pure ----------------------------------------------------------------
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain imports only src/domain and Node built-ins: no npm package, no other layer.',
      from: { path: L0 },
      to: { pathNot: L0, dependencyTypesNot: ['core'] },
    },

    // --- every module of src/ lives in a layer ---------------------------------------------------
    {
      name: 'not-in-a-layer',
      severity: 'error',
      comment: 'Imported module lies outside every layer folder; move it into one (see the list at the top).',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: LAYERED },
    },

    {
      name: 'http-holds-no-controllers',
      severity: 'error',
      comment: 'A controller belongs to its feature module (L4); src/http holds only cross-cutting HTTP code.',
      from: {},
      to: { path: '^src/http/.*[.]controller[.]ts$' },
    },

    // --- lower layers never import higher ones ---------------------------------------------------
    {
      name: 'L1-infrastructure-not-upwards',
      severity: 'error',
      comment: 'infrastructure, event-store, read-model and leases import only the domain and each other.',
      from: { path: L1 },
      to: { path: [L2, L3, L4, L5] },
    },
    {
      name: 'L2-application-not-upwards',
      severity: 'error',
      comment: 'application, commands and projections import only L0-L2.',
      from: { path: L2 },
      to: { path: [L3, L4, L5] },
    },
    {
      name: 'L3-http-not-upwards',
      severity: 'error',
      comment: 'src/http is cross-cutting: it imports L0-L2, never a feature module or the composition root.',
      from: { path: L3 },
      to: { path: [L4, L5] },
    },
    {
      name: 'L4-feature-not-to-composition',
      severity: 'error',
      comment: 'Feature modules do not import app.ts, app.module.ts, main.ts or cli/.',
      from: { path: L4 },
      to: { path: L5 },
    },

    // --- features are independent --------------------------------------------------------------
    {
      name: 'L4-feature-not-to-other-feature',
      severity: 'error',
      comment: 'A feature imports another feature only through a path listed in CROSS_FEATURE_ALLOWED.',
      from: { path: L4 },
      to: { path: L4, pathNot: ['^src/$1/', ...CROSS_FEATURE_ALLOWED] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports and re-exports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
    cache: false,
  },
};

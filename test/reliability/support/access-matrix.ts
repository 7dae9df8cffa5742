import {
  ACCEPTANCE_ROUTES,
  APPROVAL_ROUTES,
  CONSTRUCTION_ROUTES,
  OVERSIGHT_ROUTES,
} from '../../support/route-contract';

/**
 * The access-control matrix: THE table both the test (access-matrix.e2e-spec.ts) and the
 * documentation (docs/access-matrix.md, rendered by `renderAccessMatrix`) are made of. Command
 * roles come from the route table of docs/api.md (test/http/route-contract.ts); everything else is
 * written out here from docs/api.md "Queries".
 */

/** Who asks. CU_OWN: a construction unit of the fixture project's department; CU_OTHER: of another one. */
export const PRINCIPALS = [
  'CU_OWN',
  'CU_OTHER',
  'OFFICE',
  'LEADING_GROUP',
  'FINANCE',
  'AUDIT',
  'SUPERVISOR',
  'GOVERNMENT',
] as const;
export type Principal = (typeof PRINCIPALS)[number];

/** Tokens that must never get in: each one answers 401 on every protected route. */
export const BAD_TOKENS = [
  'none',
  'garbage',
  'expired',
  'wrong-secret',
  'alg-none',
  'tampered-role',
  'no-role',
  'cu-without-department',
  'no-exp',
  'future-iat',
  'lifetime-too-long',
] as const;
export type BadToken = (typeof BAD_TOKENS)[number];

/**
 * allow: the request is served (2xx, or a 400 for the deliberately invalid probe of a stream);
 * scoped: served, but only the caller's own department appears in the answer;
 * deny: 403 problem+json and nothing stored;
 * refused: 422 problem+json and nothing stored (a rule of the measures, not the role, refuses it);
 * hidden: 404 PROJECT_NOT_FOUND problem+json and nothing stored, exactly as for an unknown id
 * (docs/api.md "Visibility": another department's project is indistinguishable from no project).
 */
export type Cell = 'allow' | 'scoped' | 'deny' | 'refused' | 'hidden';

export interface AccessRow {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template as routed; a query string marks a variant of the same route. */
  path: string;
  what: string;
  /** No token needed at all. */
  public?: boolean;
  /** A public route's answer in the test configuration (NODE_ENV=test), when not 2xx. */
  publicStatus?: number;
  cells: Record<Principal, Cell>;
}

type Role = 'CONSTRUCTION_UNIT' | 'OFFICE' | 'LEADING_GROUP' | 'FINANCE' | 'AUDIT' | 'SUPERVISOR' | 'GOVERNMENT';

/**
 * Only these roles; a construction unit only on its own department's project. On a route about
 * one project, another department's construction unit gets `hidden` (404 as for an unknown id).
 */
function onlyRoles(...roles: Role[]): Record<Principal, Cell> {
  const cu = roles.includes('CONSTRUCTION_UNIT');
  return {
    CU_OWN: cu ? 'allow' : 'deny',
    CU_OTHER: 'deny',
    OFFICE: roles.includes('OFFICE') ? 'allow' : 'deny',
    LEADING_GROUP: roles.includes('LEADING_GROUP') ? 'allow' : 'deny',
    FINANCE: roles.includes('FINANCE') ? 'allow' : 'deny',
    AUDIT: roles.includes('AUDIT') ? 'allow' : 'deny',
    SUPERVISOR: roles.includes('SUPERVISOR') ? 'allow' : 'deny',
    GOVERNMENT: roles.includes('GOVERNMENT') ? 'allow' : 'deny',
  };
}

/** Every signed-in role; a construction unit of another department gets `other`. */
function everyone(other: Cell): Record<Principal, Cell> {
  return {
    CU_OWN: 'allow',
    CU_OTHER: other,
    OFFICE: 'allow',
    LEADING_GROUP: 'allow',
    FINANCE: 'allow',
    AUDIT: 'allow',
    SUPERVISOR: 'allow',
    GOVERNMENT: 'allow',
  };
}

const PUBLIC_CELLS = everyone('allow');

export const PROJECT_COMMANDS = [...APPROVAL_ROUTES, ...CONSTRUCTION_ROUTES, ...ACCEPTANCE_ROUTES, ...OVERSIGHT_ROUTES];

export const ACCESS_MATRIX: AccessRow[] = [
  { method: 'GET', path: '/health', what: 'readiness of every store', public: true, cells: PUBLIC_CELLS },
  { method: 'GET', path: '/metrics', what: 'Prometheus metrics', public: true, cells: PUBLIC_CELLS },
  { method: 'GET', path: '/docs', what: 'OpenAPI UI', public: true, cells: PUBLIC_CELLS },
  { method: 'GET', path: '/docs-json', what: 'OpenAPI document', public: true, cells: PUBLIC_CELLS },
  {
    method: 'GET',
    path: '/meta/info',
    what: 'dashboard bootstrap (department names, clock)',
    public: true,
    cells: PUBLIC_CELLS,
  },
  { method: 'GET', path: '/meta/commands', what: 'command and event catalogue', public: true, cells: PUBLIC_CELLS },
  {
    method: 'GET',
    path: '/dev/identities',
    what: 'signed development tokens: 404 unless NODE_ENV=development with the development secret',
    public: true,
    publicStatus: 404,
    cells: PUBLIC_CELLS,
  },

  // Registering for another department: 403 DEPARTMENT_MISMATCH (第三条: a unit acts for its own).
  {
    method: 'POST',
    path: '/projects',
    what: '立项 register (departmentCode = own department)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT'), CU_OTHER: 'deny' },
  },
  ...PROJECT_COMMANDS.map((spec): AccessRow => ({
    method: 'POST',
    path: `/projects/:id/${spec.path}`,
    what: spec.events.join(' · '),
    cells: { ...onlyRoles(...spec.roles), CU_OTHER: 'hidden' },
  })),
  { method: 'POST', path: '/annual-plans/:year/include', what: 'ProjectIncludedInPlan', cells: onlyRoles('OFFICE') },
  { method: 'POST', path: '/annual-plans/:year/adopt', what: 'AnnualPlanAdopted', cells: onlyRoles('LEADING_GROUP') },
  {
    method: 'POST',
    path: '/annual-plans/:year/budget-feedback',
    what: 'BudgetFeedbackRecorded',
    cells: onlyRoles('FINANCE'),
  },
  // 第七条 frameworks: any construction unit files one its department leads; a participant confirms; a
  // department the framework does not list gets 404 as for an unknown id.
  {
    method: 'POST',
    path: '/frameworks',
    what: 'FrameworkFiled (the caller’s department leads)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT'), CU_OTHER: 'allow' },
  },
  {
    method: 'POST',
    path: '/frameworks/:id/confirm',
    what: 'FrameworkConfirmed (a participating department)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT'), CU_OTHER: 'hidden' },
  },
  {
    method: 'POST',
    path: '/frameworks/:id/acknowledge',
    what: 'FrameworkAcknowledged',
    cells: { ...onlyRoles('OFFICE'), CU_OTHER: 'hidden' },
  },

  // 第二十四条 a construction unit inventories its own department's existing systems
  {
    method: 'POST',
    path: '/systems',
    what: 'ExistingSystemInventoried (own department)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT'), CU_OTHER: 'allow' },
  },
  {
    method: 'POST',
    path: '/systems/:id/record-compliance',
    what: 'SystemComplianceRecorded',
    cells: onlyRoles('OFFICE', 'SUPERVISOR'),
  },
  {
    method: 'POST',
    path: '/systems/:id/grant-sharing-exemption',
    what: 'SystemSharingExemptionGranted',
    cells: onlyRoles('GOVERNMENT'),
  },

  { method: 'GET', path: '/projects', what: 'project list', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/projects?department=:dept',
    what: 'project list of a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/projects/:id', what: 'project read model', cells: everyone('hidden') },
  {
    method: 'GET',
    path: '/projects/:id/history',
    what: 'every event of a project (第二十八条)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT', 'OFFICE', 'AUDIT'), CU_OTHER: 'hidden' },
  },
  // 项目文件: the construction unit uploads every kind, the office acceptance papers (the probe files
  // 验收材料); everyone who may read the project lists and downloads its files.
  {
    method: 'POST',
    path: '/projects/:id/documents',
    what: 'DocumentUploaded (multipart: kind, file)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT', 'OFFICE'), CU_OTHER: 'hidden' },
  },
  { method: 'GET', path: '/projects/:id/documents', what: "a project's uploaded files", cells: everyone('hidden') },
  {
    method: 'GET',
    path: '/projects/:id/documents/:documentId',
    what: 'download a file (digest verified)',
    cells: everyone('hidden'),
  },
  {
    method: 'GET',
    path: '/projects/:id/state',
    what: 'state at an instant or revision',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT', 'OFFICE', 'AUDIT'), CU_OTHER: 'hidden' },
  },
  { method: 'GET', path: '/dashboard/summary', what: 'counts and sums', cells: everyone('scoped') },
  { method: 'GET', path: '/rectifications', what: '整改 tracker', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/rectifications?department=:dept',
    what: '整改 tracker of a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/deadlines', what: 'coming and missed deadlines', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/deadlines?department=:dept',
    what: 'deadlines of a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/om-eligibility', what: '第二十四条 O&M eligibility', cells: everyone('scoped') },
  // Every role may ask; what it lists follows the role, and a construction unit's own department only.
  {
    method: 'GET',
    path: '/inbox',
    what: 'what awaits the caller (approvals, reports, funds, …)',
    cells: everyone('scoped'),
  },
  {
    method: 'GET',
    path: '/inbox/done',
    what: "已办: the caller's own records, nobody else's",
    cells: everyone('scoped'),
  },
  {
    method: 'GET',
    path: '/om-eligibility?department=:dept',
    what: 'O&M eligibility of a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/annual-plans/:year', what: '第五条 annual plan', cells: everyone('scoped') },
  { method: 'GET', path: '/frameworks', what: '第七条 frameworks', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/frameworks?department=:dept',
    what: 'frameworks listing a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/frameworks/:id', what: '第七条 one framework', cells: everyone('hidden') },
  {
    method: 'GET',
    path: '/systems',
    what: "第二十四条 a department's systems and ban findings",
    cells: everyone('scoped'),
  },
  {
    method: 'GET',
    path: '/systems?department=:dept',
    what: 'systems of a named department',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/systems/:id', what: '存量系统 one existing system', cells: everyone('hidden') },
  {
    // Another department's record answers as an unknown department does (404 DEPARTMENT_NOT_FOUND).
    method: 'GET',
    path: '/departments/:code/record',
    what: '第二十九条 department record (evaluations, sanctions, overdue items)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT', 'OFFICE', 'LEADING_GROUP', 'FINANCE', 'AUDIT'), CU_OTHER: 'hidden' },
  },
  { method: 'GET', path: '/audit/events', what: 'global event log', cells: onlyRoles('AUDIT', 'OFFICE') },
  { method: 'GET', path: '/audit/export', what: 'streamed export', cells: onlyRoles('AUDIT') },
  // Excel exports (issue 14): the lists' scoping, and history's access for a project's file.
  {
    method: 'GET',
    path: '/audit/export?format=xlsx',
    what: 'the log as an Excel workbook (streamed)',
    cells: onlyRoles('AUDIT'),
  },
  { method: 'GET', path: '/projects/export.xlsx', what: 'project list as Excel', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/projects/export.xlsx?department=:dept',
    what: 'project list of a named department as Excel',
    cells: everyone('deny'),
  },
  { method: 'GET', path: '/deadlines/export.xlsx', what: 'deadlines as Excel', cells: everyone('scoped') },
  {
    method: 'GET',
    path: '/projects/:id/archive.xlsx',
    what: '项目档案 as Excel: facts, history, obligations (第二十八条)',
    cells: { ...onlyRoles('CONSTRUCTION_UNIT', 'OFFICE', 'AUDIT'), CU_OTHER: 'hidden' },
  },
  { method: 'GET', path: '/audit/verify', what: 'hash-chain verification', cells: onlyRoles('AUDIT', 'OFFICE') },
  { method: 'POST', path: '/audit/seal', what: 'signed seal of every stream head', cells: onlyRoles('OFFICE') },
  { method: 'GET', path: '/events/stream', what: 'Server-Sent Events', cells: everyone('allow') },
  { method: 'POST', path: '/subscriptions', what: 'create a webhook', cells: onlyRoles('OFFICE') },
  { method: 'GET', path: '/subscriptions', what: 'list webhooks (secrets never returned)', cells: onlyRoles('OFFICE') },
  { method: 'GET', path: '/subscriptions/:id', what: 'webhook delivery status', cells: onlyRoles('OFFICE') },
  { method: 'DELETE', path: '/subscriptions/:id', what: 'delete a webhook', cells: onlyRoles('OFFICE') },
  { method: 'POST', path: '/subscriptions/:id/redeliver', what: 'redeliver dead letters', cells: onlyRoles('OFFICE') },
  { method: 'GET', path: '/admin/projections', what: 'projection status', cells: onlyRoles('OFFICE') },
  {
    method: 'POST',
    path: '/admin/projections/:name/rebuild',
    what: 'rebuild a read model',
    cells: onlyRoles('OFFICE'),
  },
  {
    method: 'PUT',
    path: '/admin/test-clock',
    what: 'test clock (exists only with TEST_CLOCK=1)',
    cells: onlyRoles('OFFICE'),
  },
];

export const rowKey = (row: Pick<AccessRow, 'method' | 'path'>) => `${row.method} ${row.path}`;

const SYMBOL: Record<Cell, string> = {
  allow: '✅',
  scoped: '🏢 own dept',
  deny: '⛔ 403',
  refused: '⛔ 422',
  hidden: '🙈 404',
};
const HEADER: Record<Principal, string> = {
  CU_OWN: 'CONSTRUCTION_UNIT (project’s dept)',
  CU_OTHER: 'CONSTRUCTION_UNIT (other dept)',
  OFFICE: 'OFFICE',
  LEADING_GROUP: 'LEADING_GROUP',
  FINANCE: 'FINANCE',
  AUDIT: 'AUDIT',
  SUPERVISOR: 'SUPERVISOR',
  GOVERNMENT: 'GOVERNMENT',
};

/** docs/access-matrix.md, rendered from ACCESS_MATRIX. */
export function renderAccessMatrix(): string {
  const lines = [
    '# Access-control matrix',
    '',
    '<!-- Generated from test/reliability/support/access-matrix.ts. Do not edit by hand: run',
    '     `UPDATE_ACCESS_MATRIX=1 npx jest test/reliability/access-matrix` to regenerate.',
    '     test/reliability/access-matrix.e2e-spec.ts fails when this file and the table differ,',
    '     and proves every cell against the running service. -->',
    '',
    'Every route of the service × every role × the project’s own or another department. ',
    `✅ served · 🏢 own dept: served, but only the caller’s own department’s data appears · ⛔ 403: refused with`,
    '`application/problem+json`, nothing stored · ⛔ 422: refused by a rule of the measures, nothing stored ·',
    '🙈 404: `PROJECT_NOT_FOUND` (`DEPARTMENT_NOT_FOUND` on a department’s route, `FRAMEWORK_NOT_FOUND` on a',
    'framework’s), the very answer an unknown id gets',
    '(same status, code and fields), decided before',
    'validation, waiting and revision checks: another department’s project is indistinguishable from no project.',
    '“Bad token” is each of: no token, a garbage header, an expired',
    'token, a token signed with another secret, an `alg: none` token, a valid token whose payload was rewritten',
    '(role escalation), a token without a role, a construction-unit token without a department: every one answers',
    '401 on every route that is not public.',
    '',
    `| route | what | ${PRINCIPALS.map((p) => HEADER[p]).join(' | ')} | bad token |`,
    `|---|---|${PRINCIPALS.map(() => ':-:').join('|')}|:-:|`,
  ];
  for (const row of ACCESS_MATRIX) {
    const cells = PRINCIPALS.map((p) => SYMBOL[row.cells[p]]);
    const cells2 = row.public && row.publicStatus ? PRINCIPALS.map(() => String(row.publicStatus)) : cells;
    const badToken = row.public ? (row.publicStatus ? `${row.publicStatus} public` : '✅ public') : '401';
    lines.push(`| \`${row.method} ${row.path}\` | ${row.what} | ${cells2.join(' | ')} | ${badToken} |`);
  }
  lines.push(
    '',
    'Notes: `/health`, `/metrics`, the OpenAPI documentation and the dashboard’s `/meta/*` are public by design',
    '([api.md](api.md) “health and docs open”); they carry counters and catalogues, no project data.',
    '`/dev/identities` hands out',
    'signed tokens and exists only with `NODE_ENV=development` (404 otherwise, proved with `NODE_ENV=production` in',
    'test/reliability/secrets.e2e-spec.ts). The dashboard’s HTML pages (`/`, `/project/:id`, `/live`, `/todo`)',
    'are public static files without data. A construction unit of a cross-department',
    'project’s lead or participating department reads it like its own (第七条) but files only for its own part.',
    '',
  );
  return lines.join('\n');
}

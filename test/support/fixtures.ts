import { randomUUID } from 'node:crypto';
import { registration, type Harness } from './harness';

/**
 * Drives projects through the lifecycle over HTTP, one command per step, asserting each step
 * succeeds. Amounts: estimate and approved estimate 3,000,000 yuan (≥ 2,000,000: 第十六条
 * supervision is required).
 */

export const ESTIMATE_FEN = 300_000_000;
export const SURPLUS_FEN = 1_000_000;

export const ALL_MATERIALS = {
  acceptanceReport: 'DOC-AR',
  constructionSummary: 'DOC-CS',
  biddingAndContracts: 'DOC-BC',
  processDocuments: 'DOC-PD',
  financialReport: 'DOC-FR',
  securityAssessmentReport: 'DOC-SA',
  cryptoAssessmentReport: 'DOC-CA',
};

/** 第十三条 the key content a passed acceptance records (energy efficiency: required for INFRASTRUCTURE). */
export const KEY_CONTENT = {
  productSecurityReliability: '采用安全可靠软硬件产品',
  cryptoAssessmentPassed: true,
  securityReviewPassed: true,
};

/** The Ordos civil date (UTC+8) of the harness clock, `YYYY-MM-DD`. */
export function today(h: Harness, plusDays = 0): string {
  return new Date(h.clock.now().getTime() + 8 * 3_600_000 + plusDays * 86_400_000).toISOString().slice(0, 10);
}

export type Role = 'CONSTRUCTION_UNIT' | 'OFFICE' | 'LEADING_GROUP' | 'FINANCE' | 'AUDIT' | 'SUPERVISOR' | 'GOVERNMENT';
export const ROLES: Role[] = [
  'CONSTRUCTION_UNIT',
  'OFFICE',
  'LEADING_GROUP',
  'FINANCE',
  'AUDIT',
  'SUPERVISOR',
  'GOVERNMENT',
];

export interface Project {
  id: string;
  dept: string;
  revision: number;
  /** set by the stages that order a rectification */
  rectificationId?: string;
  /** set by the stages that report an incident */
  incidentId?: string;
}

/** A token for `role`; construction units get the project's department. */
export function tokenFor(h: Harness, role: Role, dept: string): string {
  return role === 'CONSTRUCTION_UNIT' ? h.token(role, dept) : h.token(role);
}

/** POST a command that must succeed; returns the answer and updates the project's revision. */
export async function command(
  h: Harness,
  p: Project,
  role: Role,
  path: string,
  body: object,
): Promise<{ revision: number; events: string[] }> {
  const response = await h.request('POST', `/projects/${p.id}/${path}`, { token: tokenFor(h, role, p.dept), body });
  if (response.status !== 200) {
    throw new Error(`${path} as ${role} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  p.revision = response.body.revision;
  return response.body;
}

type Step = [stage: string, role: Role, path: string, body: (h: Harness, p: Project) => object];

/** The normal path (第六条、第八条 …) to asset registration; each stage names the state after its step. */
export const STEPS: Step[] = [
  ['PROPOSAL_SUBMITTED', 'CONSTRUCTION_UNIT', 'submit-proposal', () => ({ documentRef: 'JY-2026-001' })],
  ['PROPOSAL_APPROVED', 'OFFICE', 'approve-proposal', () => ({ opinion: '同意立项' })],
  ['FEASIBILITY_SUBMITTED', 'CONSTRUCTION_UNIT', 'submit-feasibility', () => ({ documentRef: 'KY-2026-001' })],
  ['SHARING_REVIEWED', 'OFFICE', 'review-sharing', () => ({ shareable: true, opinion: '按目录共享' })],
  ['FEASIBILITY_APPROVED', 'OFFICE', 'approve-feasibility', () => ({ opinion: '可研批复' })],
  [
    'DESIGN_SUBMITTED',
    'CONSTRUCTION_UNIT',
    'submit-preliminary-design',
    () => ({
      documentRef: 'CS-2026-001',
      estimateFen: ESTIMATE_FEN,
      productSecurityStatement: '采用安全可靠产品',
      cryptoApplicationPlan: 'MM-2026-001 密码应用方案',
    }),
  ],
  [
    'DESIGN_REVIEWED',
    'OFFICE',
    'review-preliminary-design',
    () => ({ passed: true, verifiedEstimateFen: ESTIMATE_FEN, opinion: '评审通过' }),
  ],
  [
    'APPROVED',
    'OFFICE',
    'approve-preliminary-design',
    () => ({ opinion: '初步设计批复', approvedEstimateFen: ESTIMATE_FEN }),
  ],
  [
    'RESPONSIBLE',
    'CONSTRUCTION_UNIT',
    'assign-responsibility',
    () => ({ implementingBody: '市大数据中心', responsiblePerson: '张三' }),
  ],
  [
    'SUPERVISED',
    'CONSTRUCTION_UNIT',
    'engage-supervision',
    () => ({ supervisionUnit: '内蒙古某监理公司', contractRef: 'JL-2026-01' }),
  ],
  ['UNDER_CONSTRUCTION', 'CONSTRUCTION_UNIT', 'start-construction', (h) => ({ startedOn: today(h) })],
  [
    'COMPLETED',
    'CONSTRUCTION_UNIT',
    'complete-construction',
    (h) => ({ completedOn: today(h), surplusFen: SURPLUS_FEN }),
  ],
  [
    'PLAN_AGREED',
    'OFFICE',
    'agree-acceptance-plan',
    () => ({ method: '专家评审', experts: ['李四', '王五'], materials: ['验收报告'] }),
  ],
  ['ARCHIVE_PASSED', 'OFFICE', 'record-archive-acceptance', () => ({ passed: true, opinion: '档案齐全' })],
  [
    'ACCEPTED',
    'CONSTRUCTION_UNIT',
    'record-acceptance',
    () => ({ passed: true, opinion: '验收通过', materials: ALL_MATERIALS, keyContent: KEY_CONTENT }),
  ],
  [
    'ASSET_REGISTERED',
    'CONSTRUCTION_UNIT',
    'register-asset',
    () => ({ assetClass: 'INTANGIBLE', costFen: ESTIMATE_FEN - SURPLUS_FEN }),
  ],
];

export type Stage = 'DRAFT_PLAN' | 'TERMINATED' | (typeof STEPS)[number][0];

let departments = 0;

/**
 * POST /projects. A plan year the harness's today cannot plan (第五条: this year or next), as the
 * annual-plan tests use to keep their plans apart, is registered as the year before it would be:
 * the clock moves to 1 June of that year for the registration and back at once.
 */
async function registerFor(h: Harness, body: ReturnType<typeof registration>, dept: string) {
  const thisYear = Number(today(h).slice(0, 4));
  const register = () => h.request('POST', '/projects', { token: h.token('CONSTRUCTION_UNIT', dept), body });
  if (body.planYear === thisYear || body.planYear === thisYear + 1) return register();
  const now = h.clock.now();
  h.clock.set(new Date(`${body.planYear - 1}-06-01T02:00:00.000Z`));
  try {
    return await register();
  } finally {
    h.clock.set(now);
  }
}

/** Registers a fresh project (own department unless given) and drives it to `stage`. */
export async function driveTo(
  h: Harness,
  stage: Stage,
  options: { dept?: string; overrides?: Record<string, unknown> } = {},
): Promise<Project> {
  const dept = options.dept ?? `D${String(++departments).padStart(3, '0')}`;
  const body = registration(dept, options.overrides);
  const created = await registerFor(h, body, dept);
  if (created.status !== 201) throw new Error(`register answered ${created.status}: ${JSON.stringify(created.body)}`);
  const p: Project = { id: body.projectId, dept, revision: created.body.revision };
  if (stage === 'DRAFT_PLAN') return p;
  if (stage === 'TERMINATED') {
    await command(h, p, 'OFFICE', 'terminate', { reason: '不再建设', basis: await rejectedRectification(h, p) });
    return p;
  }
  const last = STEPS.findIndex(([s]) => s === stage);
  if (last < 0) throw new Error(`unknown stage ${stage}`);
  for (const [, role, path, makeBody] of STEPS.slice(0, last + 1)) await command(h, p, role, path, makeBody(h, p));
  return p;
}

/** Orders a rectification (OFFICE) on p with a deadline `days` ahead; remembers its id on p. */
export async function orderRectification(h: Harness, p: Project, days = 30): Promise<string> {
  const rectificationId = randomUUID();
  await command(h, p, 'OFFICE', 'order-rectification', {
    rectificationId,
    findings: ['未同步建设密码保障系统'],
    deadline: today(h, days),
    article: '第十二条',
  });
  p.rectificationId = rectificationId;
  return rectificationId;
}

/**
 * A rectification ordered (OFFICE), reported and rejected: what a sanction may rest on (第二十七条
 * 整改后仍不符合要求). Remembers its id on p; answers the basis to send.
 */
export async function rejectedRectification(h: Harness, p: Project): Promise<{ rectificationId: string }> {
  const rectificationId = await orderRectification(h, p);
  await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', { rectificationId, report: '已整改' });
  await command(h, p, 'OFFICE', 'verify-rectification', { rectificationId, passed: false, opinion: '整改不到位' });
  return { rectificationId };
}

/** Reports an incident (第十八条) on p; remembers its id on p. */
export async function reportIncident(h: Harness, p: Project): Promise<string> {
  const incidentId = randomUUID();
  await command(h, p, 'CONSTRUCTION_UNIT', 'report-incident', {
    incidentId,
    kind: 'SERIOUS_DELAY',
    description: '接口联调严重滞后',
  });
  p.incidentId = incidentId;
  return incidentId;
}

/** GET /projects/:id waiting for `revision` (read-your-write). */
export async function readProject(h: Harness, p: Project, revision = p.revision): Promise<Record<string, any>> {
  const response = await h.request('GET', `/projects/${p.id}?minRevision=${revision}`, { token: h.token('OFFICE') });
  if (response.status !== 200)
    throw new Error(`GET project answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Expects an application/problem+json answer with this status and code (and article if given). */
export function expectProblem(
  response: { status: number; body: any; headers: Record<string, unknown> },
  status: number,
  code: string,
  article?: string,
): void {
  expect({ status: response.status, code: response.body?.code }).toEqual({ status, code });
  expect(String(response.headers['content-type'])).toContain('application/problem+json');
  expect(response.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
  if (article !== undefined) expect(response.body.article).toBe(article);
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+|SQLITE_|stack/);
}

/** The field names of a 400 VALIDATION_FAILED problem. */
export function invalidFields(response: { body: any }): string[] {
  return (response.body?.errors ?? []).map((e: { field: string }) => e.field);
}

/** Waits until every projection runs (a background rebuild has taken over), so the service may stop. */
export async function untilProjectionsRun(h: Harness): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const lanes = await h.request('GET', '/admin/projections', { token: h.token('OFFICE') });
    if ((lanes.body as { state: string }[]).every((lane) => lane.state === 'running')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A 第七条 framework body led by the caller's department, each participant with one item of its own. */
export function frameworkBody(participants: string[], overrides: Record<string, unknown> = {}) {
  return {
    frameworkId: randomUUID(),
    name: '跨部门一网通办工程',
    participants,
    objectives: '统一受理、数据共享、一网通办',
    contentByDepartment: Object.fromEntries(participants.map((d) => [d, [`${d} 业务系统对接`]])),
    dataFlows: '受理→审批→反馈，数据经共享交换平台流转',
    interfaces: '统一身份认证接口、共享交换接口',
    dataCatalogue: ['人口基础信息', '法人基础信息'],
    ...overrides,
  };
}

/** Files a framework led by `lead`, has every participant confirm it and the office acknowledge it (第七条). */
export async function acknowledgedFramework(h: Harness, lead: string, participants: string[]): Promise<string> {
  const body = frameworkBody(participants);
  const filed = await h.request('POST', '/frameworks', { token: h.token('CONSTRUCTION_UNIT', lead), body });
  if (filed.status !== 201) throw new Error(`file framework answered ${filed.status}: ${JSON.stringify(filed.body)}`);
  for (const department of participants) {
    const confirmed = await h.request('POST', `/frameworks/${body.frameworkId}/confirm`, {
      token: h.token('CONSTRUCTION_UNIT', department),
      body: {},
    });
    if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`);
  }
  const acknowledged = await h.request('POST', `/frameworks/${body.frameworkId}/acknowledge`, {
    token: h.token('OFFICE'),
    body: { opinion: '框架方案已受理' },
  });
  if (acknowledged.status !== 200) throw new Error(`acknowledge answered ${acknowledged.status}`);
  return body.frameworkId;
}

import { randomUUID } from 'node:crypto';
import { startHarness, type Harness } from './harness';
import {
  ALL_MATERIALS,
  ESTIMATE_FEN,
  KEY_CONTENT,
  ROLES,
  SURPLUS_FEN,
  command,
  driveTo,
  expectProblem,
  invalidFields,
  orderRectification,
  readProject,
  rejectedRectification,
  reportIncident,
  today,
  tokenFor,
  type Project,
  type Role,
  type Stage,
} from './fixtures';

/** One command route of docs/api.md and what its success looks like. */
export interface RouteSpec {
  path: string;
  /** docs/api.md roles; the first one is used where one is enough */
  roles: Role[];
  /** the stage its happy path starts from */
  from: Stage;
  /** extra commands after `from` */
  before?: (h: Harness, p: Project) => Promise<unknown>;
  body: (h: Harness, p: Project) => Record<string, unknown>;
  events: string[];
  /** required body fields (each must be named in the 400 of an empty body) */
  required: string[];
  /** the read model after the command */
  effect: (doc: Record<string, any>, h: Harness, p: Project) => void;
  /** a stage the command does not fit (409 INVALID_STATE); DRAFT_PLAN unless given */
  invalidFrom?: Stage;
}

const family = (doc: Record<string, any>, key: string) => doc.eventsByFamily?.[key] ?? 0;

export const APPROVAL_ROUTES: RouteSpec[] = [
  {
    path: 'submit-proposal',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    body: () => ({ documentRef: 'JY-1' }),
    events: ['ProposalSubmitted'],
    required: ['documentRef'],
    effect: (doc) => expect(doc.status).toBe('PROPOSAL'),
  },
  {
    path: 'approve-proposal',
    roles: ['OFFICE'],
    from: 'PROPOSAL_SUBMITTED',
    body: () => ({ opinion: '同意' }),
    events: ['ProposalApproved'],
    required: ['opinion'],
    effect: (doc) => {
      expect(doc.status).toBe('PROPOSAL');
      expect(family(doc, 'approval')).toBe(1);
    },
  },
  {
    path: 'reject-proposal',
    roles: ['OFFICE'],
    from: 'PROPOSAL_SUBMITTED',
    body: () => ({ opinion: '不符合规划' }),
    events: ['ProposalRejected'],
    required: ['opinion'],
    effect: (doc) => expect(doc.status).toBe('REJECTED'),
  },
  {
    path: 'submit-feasibility',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'PROPOSAL_APPROVED',
    invalidFrom: 'TERMINATED',
    body: () => ({ documentRef: 'KY-1' }),
    events: ['FeasibilityStudySubmitted'],
    required: ['documentRef'],
    effect: (doc) => expect(doc.status).toBe('FEASIBILITY'),
  },
  {
    path: 'review-sharing',
    roles: ['OFFICE'],
    from: 'FEASIBILITY_SUBMITTED',
    invalidFrom: 'TERMINATED',
    body: () => ({ shareable: true, opinion: '按目录共享' }),
    events: ['SharingReviewed'],
    required: ['shareable', 'opinion'],
    effect: (doc) => expect(doc.sharingReview).toMatchObject({ shareable: true, opinion: '按目录共享' }),
  },
  {
    path: 'approve-feasibility',
    roles: ['OFFICE'],
    from: 'SHARING_REVIEWED',
    body: () => ({ opinion: '可研批复' }),
    events: ['FeasibilityApproved'],
    required: ['opinion'],
    effect: (doc) => {
      expect(doc.status).toBe('FEASIBILITY');
      expect(family(doc, 'approval')).toBe(3);
    },
  },
  {
    path: 'reject-feasibility',
    roles: ['OFFICE'],
    from: 'FEASIBILITY_SUBMITTED',
    body: () => ({ opinion: '深度不够' }),
    events: ['FeasibilityRejected'],
    required: ['opinion'],
    effect: (doc) => expect(doc.status).toBe('REJECTED'),
  },
  {
    path: 'submit-preliminary-design',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'FEASIBILITY_APPROVED',
    body: () => ({
      documentRef: 'CS-1',
      estimateFen: ESTIMATE_FEN,
      productSecurityStatement: '国产安全可靠',
      cryptoApplicationPlan: 'MM-1',
    }),
    events: ['PreliminaryDesignSubmitted'],
    required: ['documentRef', 'estimateFen', 'productSecurityStatement', 'cryptoApplicationPlan'],
    effect: (doc) => expect(doc.status).toBe('PRELIMINARY_DESIGN'),
  },
  {
    path: 'review-preliminary-design',
    roles: ['OFFICE'],
    from: 'DESIGN_SUBMITTED',
    body: () => ({ passed: true, verifiedEstimateFen: ESTIMATE_FEN, opinion: '核价通过' }),
    events: ['PreliminaryDesignReviewed'],
    required: ['passed', 'verifiedEstimateFen', 'opinion'],
    effect: (doc) => {
      expect(doc.status).toBe('PRELIMINARY_DESIGN');
      expect(family(doc, 'approval')).toBe(4);
    },
  },
  {
    path: 'approve-preliminary-design',
    roles: ['OFFICE'],
    from: 'DESIGN_REVIEWED',
    body: () => ({ opinion: '批复', approvedEstimateFen: ESTIMATE_FEN }),
    events: ['PreliminaryDesignApproved'],
    required: ['opinion', 'approvedEstimateFen'],
    effect: (doc, h) => {
      expect(doc).toMatchObject({
        status: 'APPROVED',
        approvedEstimateFen: ESTIMATE_FEN,
        currentTotalFen: ESTIMATE_FEN,
        supervisionRequired: true,
      });
      expect(doc.dates.approvedOn).toBe(today(h));
    },
  },
  {
    path: 'reject-preliminary-design',
    roles: ['OFFICE'],
    from: 'DESIGN_SUBMITTED',
    body: () => ({ opinion: '概算偏高' }),
    events: ['PreliminaryDesignRejected'],
    required: ['opinion'],
    effect: (doc) => expect(doc.status).toBe('REJECTED'),
  },
];

export const CONSTRUCTION_ROUTES: RouteSpec[] = [
  {
    path: 'assign-responsibility',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'APPROVED',
    invalidFrom: 'TERMINATED',
    body: () => ({ implementingBody: '市政务服务中心', responsiblePerson: '赵六' }),
    events: ['ResponsibilityAssigned'],
    required: ['implementingBody', 'responsiblePerson'],
    effect: (doc) => expect(doc).toMatchObject({ implementingBody: '市政务服务中心', responsiblePerson: '赵六' }),
  },
  {
    path: 'engage-supervision',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'RESPONSIBLE',
    invalidFrom: 'TERMINATED',
    body: () => ({ supervisionUnit: '鄂尔多斯监理有限公司', contractRef: 'JL-9' }),
    events: ['SupervisionUnitEngaged'],
    required: ['supervisionUnit', 'contractRef'],
    effect: (doc) => expect(doc.supervisionUnit).toBe('鄂尔多斯监理有限公司'),
  },
  {
    path: 'start-construction',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'SUPERVISED',
    invalidFrom: 'TERMINATED',
    body: (h) => ({ startedOn: today(h) }),
    events: ['ConstructionStarted'],
    required: ['startedOn'],
    effect: (doc, h) => {
      expect(doc.status).toBe('UNDER_CONSTRUCTION');
      expect(doc.dates.startedOn).toBe(today(h));
    },
  },
  {
    path: 'submit-performance-report',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'UNDER_CONSTRUCTION',
    body: (h) => ({
      year: Number(today(h).slice(0, 4)),
      progressPercent: 40,
      investmentExecutedFen: 50_000_000,
      userOpinions: '满意',
      supervisionOpinion: '进度正常',
    }),
    events: ['PerformanceReportSubmitted'],
    required: ['year', 'progressPercent', 'investmentExecutedFen', 'userOpinions'],
    effect: (doc) => {
      expect(doc.status).toBe('UNDER_CONSTRUCTION');
      expect(doc.openObligations.filter((o: { kind: string }) => o.kind === 'PERFORMANCE_REPORT')).toEqual([]);
    },
  },
  {
    path: 'report-incident',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'UNDER_CONSTRUCTION',
    body: () => ({ kind: 'SERIOUS_DELAY', description: '供货延迟两个月' }),
    events: ['IncidentReported'],
    required: ['kind', 'description'],
    effect: (doc) => {
      expect(doc.status).toBe('UNDER_CONSTRUCTION');
      expect(family(doc, 'construction')).toBe(4);
    },
  },
  {
    path: 'file-adjustment',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'UNDER_CONSTRUCTION',
    body: () => ({
      reason: 'TECHNICAL_OPTIMIZATION',
      amountFen: 30_000_000,
      newTotalFen: 290_000_000,
      objectivesUnchanged: true,
      description: '优化技术方案',
    }),
    events: ['AdjustmentFiled'],
    required: ['reason', 'amountFen', 'newTotalFen', 'objectivesUnchanged', 'description'],
    effect: (doc) => {
      expect(doc).toMatchObject({
        adjustedFundsTotalFen: 30_000_000,
        currentTotalFen: 290_000_000,
        approvedEstimateFen: ESTIMATE_FEN,
      });
      expect(doc.adjustedRatio).toBeCloseTo(0.1, 10);
      expect(family(doc, 'adjustment')).toBe(1);
    },
  },
  {
    path: 'complete-construction',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'UNDER_CONSTRUCTION',
    body: () => ({ completedOn: '2026-03-02', surplusFen: SURPLUS_FEN }),
    events: ['ConstructionCompleted'],
    required: ['completedOn', 'surplusFen'],
    effect: (doc) => {
      expect(doc.status).toBe('COMPLETED');
      expect(doc.dates).toMatchObject({ completedOn: '2026-03-02', acceptanceDueOn: '2026-09-02' });
      expect(doc.surplus).toEqual({ surplusFen: SURPLUS_FEN, returnedFen: 0 });
      expect(doc.openObligations).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'ACCEPTANCE', dueOn: '2026-09-02' })]),
      );
    },
  },
  {
    path: 'return-surplus',
    roles: ['FINANCE'],
    from: 'COMPLETED',
    body: () => ({ amountFen: 400_000 }),
    events: ['SurplusFundsReturned'],
    required: ['amountFen'],
    effect: (doc) => expect(doc.surplus).toEqual({ surplusFen: SURPLUS_FEN, returnedFen: 400_000 }),
  },
  {
    path: 'release-investment',
    roles: ['FINANCE'],
    from: 'APPROVED',
    body: () => ({ amountFen: 100_000_000, documentRef: '鄂财建〔2026〕12号' }),
    events: ['InvestmentReleased'],
    required: ['amountFen', 'documentRef'],
    invalidFrom: 'TERMINATED',
    effect: (doc) => {
      expect(doc).toMatchObject({ releasedFen: 100_000_000, currentTotalFen: ESTIMATE_FEN, status: 'APPROVED' });
      expect(family(doc, 'construction')).toBe(1);
    },
  },
];

export const ACCEPTANCE_ROUTES: RouteSpec[] = [
  {
    path: 'agree-acceptance-plan',
    roles: ['OFFICE'],
    from: 'COMPLETED',
    body: () => ({ method: '会议验收', experts: ['专家甲', '专家乙'], materials: ['验收报告', '财务报告'] }),
    events: ['AcceptancePlanAgreed'],
    required: ['method', 'experts', 'materials'],
    effect: (doc) => {
      expect(doc.status).toBe('COMPLETED');
      expect(family(doc, 'acceptance')).toBe(1);
    },
  },
  {
    path: 'record-archive-acceptance',
    roles: ['OFFICE'],
    from: 'PLAN_AGREED',
    body: () => ({ passed: true, opinion: '档案合格' }),
    events: ['ArchiveAcceptanceRecorded'],
    required: ['passed', 'opinion'],
    effect: (doc) => {
      expect(doc.status).toBe('COMPLETED');
      expect(family(doc, 'acceptance')).toBe(2);
    },
  },
  {
    path: 'request-acceptance-extension',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'COMPLETED',
    body: () => ({ until: '2026-12-31', reason: '等保测评排期' }),
    events: ['AcceptanceExtensionRequested'],
    required: ['until', 'reason'],
    effect: (doc) => {
      expect(doc.dates.acceptanceDueOn).not.toBe('2026-12-31');
      expect(family(doc, 'acceptance')).toBe(1);
    },
  },
  {
    path: 'grant-acceptance-extension',
    roles: ['OFFICE'],
    from: 'COMPLETED',
    before: (h, p) =>
      command(h, p, 'CONSTRUCTION_UNIT', 'request-acceptance-extension', {
        until: '2026-12-31',
        reason: '等保测评排期',
      }),
    body: () => ({ opinion: '同意延期' }),
    events: ['AcceptanceExtensionGranted'],
    required: ['opinion'],
    effect: (doc) => {
      expect(doc.dates.acceptanceDueOn).toBe('2026-12-31');
      expect(doc.openObligations).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'ACCEPTANCE', dueOn: '2026-12-31', extended: true })]),
      );
    },
  },
  {
    path: 'record-acceptance',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'ARCHIVE_PASSED',
    body: () => ({ passed: true, opinion: '验收通过', materials: ALL_MATERIALS, keyContent: KEY_CONTENT }),
    events: ['AcceptancePassed'],
    required: ['passed', 'opinion'],
    effect: (doc, h) => {
      expect(doc.status).toBe('ACCEPTED');
      expect(doc.dates.acceptedOn).toBe(today(h));
      expect(doc.acceptedOnTime).toBe(true);
    },
  },
  {
    path: 'register-asset',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'ACCEPTED',
    invalidFrom: 'TERMINATED',
    body: () => ({ assetClass: 'INTANGIBLE', costFen: 299_000_000 }),
    events: ['AssetRegistered'],
    required: ['assetClass', 'costFen'],
    effect: (doc) =>
      expect(doc).toMatchObject({
        status: 'ASSET_REGISTERED',
        asset: { assetClass: 'INTANGIBLE', costFen: 299_000_000 },
      }),
  },
  {
    // 第二十九条 项目后评价 after acceptance (第二十六条 application effect: test/projects/evaluation.e2e-spec.ts)
    path: 'evaluate',
    roles: ['OFFICE'],
    from: 'ACCEPTED',
    invalidFrom: 'TERMINATED',
    body: () => ({ kind: 'POST_EVALUATION', grade: 'GOOD', opinion: '达到预期建设目标' }),
    events: ['ProjectEvaluated'],
    required: ['kind', 'grade', 'opinion'],
    effect: (doc, h) =>
      expect(doc.evaluations).toEqual([
        { kind: 'POST_EVALUATION', grade: 'GOOD', opinion: '达到预期建设目标', evaluatedOn: today(h) },
      ]),
  },
];

const COMPLIANT = {
  sharesData: true,
  duplicateCollection: false,
  inCatalogue: true,
  cryptoAssessmentPassed: true,
  securityAssessmentPassed: true,
  majorSecurityHazard: false,
};

export const OVERSIGHT_ROUTES: RouteSpec[] = [
  {
    path: 'record-compliance',
    roles: ['OFFICE', 'SUPERVISOR'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    body: () => COMPLIANT,
    events: ['ComplianceRecorded'],
    required: Object.keys(COMPLIANT),
    effect: (doc) => {
      expect(doc.compliance).toEqual(COMPLIANT);
      expect(doc.omEligibility).toEqual({ eligible: true, reasons: [] });
    },
  },
  {
    path: 'grant-sharing-exemption',
    roles: ['GOVERNMENT'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    body: () => ({ reason: '涉密系统不能共享' }),
    events: ['SharingExemptionGranted'],
    required: ['reason'],
    effect: (doc) => expect(doc.sharingExemption).toMatchObject({ reason: '涉密系统不能共享' }),
  },
  {
    path: 'order-rectification',
    roles: ['OFFICE', 'SUPERVISOR', 'FINANCE'],
    from: 'UNDER_CONSTRUCTION',
    invalidFrom: 'TERMINATED',
    // FINANCE orders on fund use and procurement only (第二十七条): the subject lets every role order it
    body: (h, p) => ({
      rectificationId: (p.rectificationId = randomUUID()),
      findings: ['未开展等保测评'],
      deadline: today(h, 30),
      article: '第十一条',
      subject: 'PROCUREMENT',
    }),
    events: ['RectificationOrdered'],
    required: ['findings', 'deadline', 'article'],
    effect: (doc, h, p) => {
      expect(doc.openRectifications).toBe(1);
      expect(doc.rectifications).toEqual([
        expect.objectContaining({
          rectificationId: p.rectificationId,
          status: 'OPEN',
          deadline: today(h, 30),
          findings: ['未开展等保测评'],
        }),
      ]);
    },
  },
  {
    path: 'submit-rectification',
    roles: ['CONSTRUCTION_UNIT'],
    from: 'UNDER_CONSTRUCTION',
    invalidFrom: 'TERMINATED',
    before: (h, p) => orderRectification(h, p),
    body: (_h, p) => ({ rectificationId: p.rectificationId ?? randomUUID(), report: '已完成整改' }),
    events: ['RectificationSubmitted'],
    required: ['rectificationId', 'report'],
    effect: (doc, _h, p) =>
      expect(doc.rectifications).toEqual([
        expect.objectContaining({ rectificationId: p.rectificationId, status: 'SUBMITTED' }),
      ]),
  },
  {
    path: 'verify-rectification',
    roles: ['OFFICE', 'SUPERVISOR', 'FINANCE'],
    from: 'UNDER_CONSTRUCTION',
    invalidFrom: 'TERMINATED',
    // ordered by finance, which verifies only its own orders; the office and supervisors verify any
    before: async (h, p) => {
      p.rectificationId = randomUUID();
      await command(h, p, 'FINANCE', 'order-rectification', {
        rectificationId: p.rectificationId,
        findings: ['资金支付未按合同进度'],
        deadline: today(h, 30),
        article: '第十九条',
        subject: 'FUND_USE',
      });
      await command(h, p, 'CONSTRUCTION_UNIT', 'submit-rectification', {
        rectificationId: p.rectificationId,
        report: '已整改',
      });
    },
    body: (_h, p) => ({ rectificationId: p.rectificationId ?? randomUUID(), passed: true, opinion: '整改到位' }),
    events: ['RectificationVerified'],
    required: ['rectificationId', 'passed', 'opinion'],
    effect: (doc, _h, p) => {
      expect(doc.openRectifications).toBe(0);
      expect(doc.rectifications).toEqual([
        expect.objectContaining({ rectificationId: p.rectificationId, status: 'VERIFIED' }),
      ]);
    },
  },
  {
    path: 'criticize',
    roles: ['OFFICE'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    before: (h, p) => rejectedRectification(h, p),
    body: (_h, p) => ({ reason: '整改不到位', basis: { rectificationId: p.rectificationId ?? randomUUID() } }),
    events: ['ProjectCriticized'],
    required: ['reason'],
    effect: (doc) => expect(doc.sanctions.criticisms).toBe(1),
  },
  {
    path: 'defer-investment',
    roles: ['OFFICE'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    before: (h, p) => rejectedRectification(h, p),
    body: (_h, p) => ({ reason: '整改不到位', basis: { rectificationId: p.rectificationId ?? randomUUID() } }),
    events: ['InvestmentDeferred'],
    required: ['reason'],
    effect: (doc) => expect(doc.sanctions.investmentDeferred).toBe(true),
  },
  {
    path: 'suspend',
    roles: ['OFFICE'],
    from: 'UNDER_CONSTRUCTION',
    invalidFrom: 'TERMINATED',
    before: (h, p) => rejectedRectification(h, p),
    body: (_h, p) => ({ reason: '整改不到位', basis: { rectificationId: p.rectificationId ?? randomUUID() } }),
    events: ['ProjectSuspended'],
    required: ['reason'],
    effect: (doc) => expect(doc.status).toBe('SUSPENDED'),
  },
  {
    path: 'resume',
    roles: ['OFFICE'],
    from: 'UNDER_CONSTRUCTION',
    before: async (h, p) =>
      command(h, p, 'OFFICE', 'suspend', { reason: '暂停', basis: await rejectedRectification(h, p) }),
    body: () => ({ reason: '整改完成' }),
    events: ['ProjectResumed'],
    required: ['reason'],
    effect: (doc) => expect(doc.status).toBe('UNDER_CONSTRUCTION'),
  },
  {
    path: 'terminate',
    // 第二十七条 names the office; the leading group adopts plans and does not terminate
    roles: ['OFFICE'],
    from: 'DRAFT_PLAN',
    invalidFrom: 'TERMINATED',
    before: (h, p) => rejectedRectification(h, p),
    body: (_h, p) => ({ reason: '整改后仍不符合要求', basis: { rectificationId: p.rectificationId ?? randomUUID() } }),
    events: ['ProjectTerminated'],
    required: ['reason'],
    effect: (doc) => expect(doc.status).toBe('TERMINATED'),
  },
  {
    path: 'decide-incident',
    roles: ['OFFICE'],
    from: 'UNDER_CONSTRUCTION',
    invalidFrom: 'TERMINATED',
    before: (h, p) => reportIncident(h, p),
    body: (_h, p) => ({ incidentId: p.incidentId ?? randomUUID(), decision: 'NOTED', opinion: '已知悉，加强调度' }),
    events: ['IncidentDecided'],
    required: ['incidentId', 'decision', 'opinion'],
    effect: (doc, h, p) => {
      expect(doc.openIncidents).toBe(0);
      expect(doc.incidents).toEqual([
        expect.objectContaining({ incidentId: p.incidentId, decision: 'NOTED', decidedOn: today(h) }),
      ]);
    },
  },
];

async function prepare(h: Harness, spec: RouteSpec): Promise<Project> {
  const p = await driveTo(h, spec.from);
  if (spec.before) await spec.before(h, p);
  return p;
}

/**
 * The contract of docs/api.md for each route: success with the answer and the read model effect,
 * each allowed role, 400, 401, 403 (role and department), 404, 409 (state and revision).
 */
export function describeRouteContract(title: string, specs: RouteSpec[]): void {
  describe(title, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h.close();
    });

    describe.each(specs.map((s) => [s.path, s] as const))('POST /projects/:id/%s', (path, spec) => {
      it(
        `succeeds for ${spec.roles.join(' and ')}: answer, stale expectedRevision refused, ` + 'read model updated',
        async () => {
          for (const [i, role] of spec.roles.entries()) {
            const p = await prepare(h, spec);
            const before = p.revision;
            const body = spec.body(h, p);
            if (i === 0) {
              const stale = await h.request('POST', `/projects/${p.id}/${path}`, {
                token: tokenFor(h, role, p.dept),
                body: { ...body, expectedRevision: before - 1 },
              });
              expectProblem(stale, 409, 'REVISION_CONFLICT');
              expect(stale.body).toMatchObject({ expectedRevision: before - 1, actualRevision: before });
            }
            const ok = await h.request('POST', `/projects/${p.id}/${path}`, {
              token: tokenFor(h, role, p.dept),
              body: { ...body, expectedRevision: before },
            });
            expect({ role, status: ok.status, body: ok.body }).toMatchObject({
              role,
              status: 200,
              body: { projectId: p.id, revision: before + spec.events.length },
            });
            expect(ok.body.events).toEqual(spec.events);
            const doc = await readProject(h, p, ok.body.revision);
            expect(doc.revision).toBe(before + spec.events.length);
            expect(doc.projectId).toBe(p.id);
            expect(doc.state).toBeUndefined();
            spec.effect(doc, h, p);
          }
        },
      );

      it('400 lists the unknown field and every missing one; 400 for an id that is not a UUID', async () => {
        const p = await driveTo(h, 'DRAFT_PLAN');
        const token = tokenFor(h, spec.roles[0], p.dept);
        const bad = await h.request('POST', `/projects/${p.id}/${path}`, { token, body: { bogus: 1 } });
        expectProblem(bad, 400, 'VALIDATION_FAILED');
        expect(invalidFields(bad)).toEqual(expect.arrayContaining(['bogus', ...spec.required]));
        const badId = await h.request('POST', `/projects/not-a-uuid/${path}`, { token, body: spec.body(h, p) });
        expectProblem(badId, 400, 'VALIDATION_FAILED');
        expect(invalidFields(badId)).toEqual(['id']);
        expect((await readProject(h, p)).revision).toBe(p.revision);
      });

      it('401 without a token', async () => {
        const p = await driveTo(h, 'DRAFT_PLAN');
        const response = await h.request('POST', `/projects/${p.id}/${path}`, { body: spec.body(h, p) });
        expectProblem(response, 401, 'UNAUTHENTICATED');
      });

      it(
        '403 for every other role (AUDIT included); ' +
          '404 as for an unknown id for a construction unit of another department',
        async () => {
          const p = await prepare(h, spec);
          const body = spec.body(h, p);
          for (const role of ROLES.filter((r) => !spec.roles.includes(r))) {
            const response = await h.request('POST', `/projects/${p.id}/${path}`, {
              token: tokenFor(h, role, p.dept),
              body,
            });
            expect({ role, status: response.status, code: response.body.code, article: response.body.article }).toEqual(
              {
                role,
                status: 403,
                code: 'ROLE_NOT_ALLOWED',
                article: '第三条',
              },
            );
          }
          // docs/api.md "Visibility": another department's project is an unknown id, whatever the command.
          const other = await h.request('POST', `/projects/${p.id}/${path}`, {
            token: h.token('CONSTRUCTION_UNIT', 'OTHER-DEPT'),
            body,
          });
          expectProblem(other, 404, 'PROJECT_NOT_FOUND');
          expect(JSON.stringify(other.body)).not.toContain(p.dept);
          expect((await readProject(h, p)).revision).toBe(p.revision);
        },
      );

      it('404 for an unknown project', async () => {
        const id = randomUUID();
        const p: Project = { id, dept: 'D404', revision: -1 };
        const response = await h.request('POST', `/projects/${id}/${path}`, {
          token: tokenFor(h, spec.roles[0], 'D404'),
          body: spec.body(h, p),
        });
        expectProblem(response, 404, 'PROJECT_NOT_FOUND');
      });

      it(`409 INVALID_STATE with currentStatus in ${spec.invalidFrom ?? 'DRAFT_PLAN'}`, async () => {
        const stage = spec.invalidFrom ?? 'DRAFT_PLAN';
        const p = await driveTo(h, stage);
        const response = await h.request('POST', `/projects/${p.id}/${path}`, {
          token: tokenFor(h, spec.roles[0], p.dept),
          body: spec.body(h, p),
        });
        expectProblem(response, 409, 'INVALID_STATE');
        expect(response.body.currentStatus).toBe(stage);
        expect((await readProject(h, p)).revision).toBe(p.revision);
      });
    });
  });
}

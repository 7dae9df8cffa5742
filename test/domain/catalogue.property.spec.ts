import fc from 'fast-check';
import {
  ACCEPTANCE_MATERIALS,
  AdjustmentReason,
  AnnualPlanCommand,
  COMMAND_CATALOGUE,
  CommandType,
  DomainError,
  FastTrackReason,
  ProjectCommand,
  ProjectState,
  ROLES,
  RuleCode,
  addDays,
  yearOf,
  annualPlanDecider,
  projectDecider,
} from '../../src/domain';
import { KEY_CONTENT, MATERIALS, actors, command, defaultActor, outside, registration } from './fixtures';

/**
 * COMMAND_CATALOGUE[type].refusals documents every error code of an operation (OpenAPI). Random
 * commands, lawful or not, on states reached by random histories: whatever a decision refuses
 * with must be listed for that command.
 */
const seen = new Map<CommandType, Set<string>>();

function expectListed(type: CommandType, run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const listed: readonly RuleCode[] = COMMAND_CATALOGUE[type].refusals;
    if (!(listed as readonly string[]).includes(error.code)) {
      throw new Error(`${type} refused with ${error.code}, which its refusals do not list`, { cause: error });
    }
    seen.set(type, (seen.get(type) ?? new Set()).add(error.code));
    return undefined;
  }
}

type Make = (today: string) => ProjectCommand;
const FRAMEWORK = { frameworkId: 'fw', leadDepartment: 'D-BIG', participants: ['D-EDU'], acknowledged: true };
const amount = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 1, 1_000_000, 19_999_999, 30_000_000, 199_999_999, 200_000_000, 300_000_000, 500_000_000),
  fc.integer({ min: -10, max: 600_000_000 }),
);
const text = fc.constantFrom('', ' ', '\u200b', 'x', '第二十四条');
const offset = fc.integer({ min: -40, max: 400 });
const date = (today: string, d: number | null) => (d === null ? '2026-02-30' : addDays(today, d));
const day = fc.option(offset, { freq: 8 });
const rid = fc.constantFrom('r-1', 'r-2');
const year = fc.integer({ min: 2023, max: 2026 });

const make: fc.Arbitrary<Make> = fc.oneof(
  fc
    .record({
      estimateFen: amount,
      fast: fc.boolean(),
      urgent: fc.boolean(),
      depth: fc.boolean(),
      reason: fc.boolean(),
      cross: fc.nat(5),
      planYear: fc.integer({ min: -1, max: 2 }),
    })
    .map<Make>(
      (r) => (today) =>
        command(
          'RegisterProject',
          registration({
            planYear: yearOf(today) + r.planYear,
            estimateFen: r.estimateFen,
            fastTrack: r.fast
              ? {
                  reason: r.reason ? 'SECURITY' : outside<FastTrackReason>('NOPE'),
                  urgent: r.urgent,
                  depthMet: r.depth,
                  evidenceRef: 'doc:city-requirement',
                }
              : null,
            // 第七条: the part and the facts of the framework it names (listing, not listing, pending, none).
            ...[
              { crossDepartment: null },
              { crossDepartment: { frameworkId: 'fw' }, framework: FRAMEWORK },
              { crossDepartment: { frameworkId: 'fw' }, framework: { ...FRAMEWORK, participants: ['D-HEALTH'] } },
              { crossDepartment: { frameworkId: 'fw' }, framework: { ...FRAMEWORK, acknowledged: false } },
              { crossDepartment: { frameworkId: 'fw' }, framework: null },
              { crossDepartment: { frameworkId: 'fw', leadDepartment: 'D-EDU' }, framework: FRAMEWORK },
            ][r.cross],
          }),
        ),
    ),
  fc.constant<Make>(() => command('SubmitProposal', { documentRef: 'd' })),
  fc.constant<Make>(() => command('ApproveProposal', { opinion: 'o' })),
  fc.constant<Make>(() => command('RejectProposal', { opinion: 'o' })),
  fc.constant<Make>(() => command('SubmitFeasibilityStudy', { documentRef: 'd' })),
  fc.constant<Make>(() => command('ApproveFeasibility', { opinion: 'o' })),
  fc.boolean().map<Make>((shareable) => () => command('ReviewSharing', { shareable, opinion: 'o' })),
  fc.constant<Make>(() => command('RejectFeasibility', { opinion: 'o' })),
  fc.tuple(amount, text, text).map<Make>(
    ([estimateFen, s, plan]) =>
      () =>
        command('SubmitPreliminaryDesign', {
          documentRef: 'd',
          estimateFen,
          productSecurityStatement: s,
          cryptoApplicationPlan: plan,
        }),
  ),
  fc.tuple(amount, fc.boolean()).map<Make>(
    ([e, passed]) =>
      () =>
        command('ReviewPreliminaryDesign', { passed, verifiedEstimateFen: e, opinion: 'o' }),
  ),
  amount.map<Make>((e) => () => command('ApprovePreliminaryDesign', { opinion: 'o', approvedEstimateFen: e })),
  fc.constant<Make>(() => command('RejectPreliminaryDesign', { opinion: 'o' })),
  text.map<Make>((s) => () => command('AssignResponsibility', { implementingBody: s, responsiblePerson: s })),
  fc.constant<Make>(() => command('EngageSupervisionUnit', { supervisionUnit: 's', contractRef: 'c' })),
  day.map<Make>(
    (d) => (today) =>
      // mostly a past day, sometimes one ahead (DATE_IN_FUTURE)
      command('StartConstruction', { startedOn: date(today, d === null ? null : d > 300 ? d - 300 : -Math.abs(d)) }),
  ),
  fc
    .record({
      y: year,
      p: fc.integer({ min: -1, max: 101 }),
      inv: amount,
      sup: fc.option(text),
      trial: fc.option(text),
    })
    .map<Make>(
      (r) => () =>
        command('SubmitPerformanceReport', {
          year: r.y,
          progressPercent: r.p,
          investmentExecutedFen: r.inv,
          userOpinions: 'u',
          supervisionOpinion: r.sup,
          trialRunNotes: r.trial,
        }),
    ),
  fc.constant<Make>(() => command('ReportIncident', { incidentId: 'i-1', kind: 'SERIOUS_DELAY', description: 'x' })),
  fc
    .constantFrom('RECTIFY' as const, 'SUSPEND' as const, 'NOTED' as const)
    .map<Make>((decision) => () => command('DecideIncident', { incidentId: 'i-1', decision, opinion: 'o' })),
  fc
    .record({ a: amount, t: amount, unchanged: fc.boolean(), reason: fc.constantFrom('BUSINESS_NEEDS', 'NOPE') })
    .map<Make>(
      (r) => () =>
        command('FileAdjustment', {
          reason: outside<AdjustmentReason>(r.reason),
          amountFen: r.a,
          newTotalFen: r.t,
          objectivesUnchanged: r.unchanged,
          description: 'x',
        }),
    ),
  fc.tuple(day, amount).map<Make>(
    ([d, s]) =>
      (today) =>
        command('CompleteConstruction', {
          completedOn: date(today, d === null ? null : d > 380 ? d - 380 : -Math.abs(d) % 60),
          surplusFen: s,
        }),
  ),
  amount.map<Make>((a) => () => command('ReturnSurplusFunds', { amountFen: a })),
  fc
    .boolean()
    .map<Make>(
      (panel) => () => command('AgreeAcceptancePlan', { method: 'm', experts: panel ? ['e'] : [], materials: [] }),
    ),
  fc.boolean().map<Make>((passed) => () => command('RecordArchiveAcceptance', { passed, opinion: 'o' })),
  day.map<Make>((d) => (today) => command('RequestAcceptanceExtension', { until: date(today, d), reason: 'r' })),
  fc.constant<Make>(() => command('GrantAcceptanceExtension', { opinion: 'o' })),
  fc
    .tuple(
      fc.boolean(),
      fc.subarray([...ACCEPTANCE_MATERIALS]),
      fc.record({ reliability: text, crypto: fc.option(fc.boolean()), security: fc.option(fc.boolean()) }),
    )
    .map<Make>(
      ([passed, keys, k]) =>
        () =>
          command('RecordAcceptance', {
            passed,
            opinion: 'o',
            materials: Object.fromEntries(keys.map((key) => [key, MATERIALS[key]])),
            keyContent: {
              productSecurityReliability: k.reliability,
              ...(k.crypto === null ? {} : { cryptoAssessmentPassed: k.crypto }),
              ...(k.security === null ? {} : { securityReviewPassed: k.security }),
            },
          }),
    ),
  amount.map<Make>((costFen) => () => command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen })),
  fc.boolean().map<Make>(
    (b) => () =>
      command('RecordCompliance', {
        sharesData: b,
        duplicateCollection: !b,
        inCatalogue: b,
        cryptoAssessmentPassed: true,
        securityAssessmentPassed: b,
        majorSecurityHazard: !b,
      }),
  ),
  fc.constant<Make>(() => command('GrantSharingExemption', { reason: 'r' })),
  fc.record({ id: rid, findings: fc.boolean(), d: day, article: text }).map<Make>(
    (r) => (today) =>
      command('OrderRectification', {
        rectificationId: r.id,
        findings: r.findings ? ['f'] : [],
        deadline: date(today, r.d === null ? null : r.d % 60),
        article: r.article,
      }),
  ),
  rid.map<Make>((id) => () => command('SubmitRectification', { rectificationId: id, report: 'r' })),
  fc.tuple(rid, fc.boolean()).map<Make>(
    ([id, passed]) =>
      () =>
        command('VerifyRectification', { rectificationId: id, passed, opinion: 'o' }),
  ),
  rid.map<Make>((id) => () => command('CriticizeProject', { reason: 'r', basis: { rectificationId: id } })),
  fc.constant<Make>(() => command('CriticizeProject', { reason: 'r', basis: { violation: 'WASTE' } })),
  rid.map<Make>((id) => () => command('DeferInvestment', { reason: 'r', basis: { rectificationId: id } })),
  rid.map<Make>((id) => () => command('SuspendProject', { reason: 'r', basis: { rectificationId: id } })),
  fc.constant<Make>(() => command('SuspendProject', { reason: 'r', basis: { incidentId: 'i-1' } })),
  fc.constant<Make>(() => command('ResumeProject', { reason: 'r' })),
  rid.map<Make>((id) => () => command('TerminateProject', { reason: 'r', basis: { rectificationId: id } })),
  fc.constant<Make>(() => command('MarkAcceptanceOverdue', {})),
  year.map<Make>((y) => () => command('MarkPerformanceReportOverdue', { year: y })),
  rid.map<Make>((id) => () => command('MarkRectificationOverdue', { rectificationId: id })),
);

const actor = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...ROLES).map((role) => ({ sub: 'x', name: 'x', role, department: 'D-EDU' })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(actors.otherCu, { sub: 'y', name: 'y', role: 'CONSTRUCTION_UNIT' as const }),
  },
);
const clock = fc.oneof(
  { weight: 20, arbitrary: fc.constant('ok') },
  fc.constantFrom('not-a-time', '2019-12-31T10:00:00+08:00'),
);
const probe = fc.record({ make, days: fc.integer({ min: 0, max: 45 }), actor, clock });

const REPORT = {
  progressPercent: 50,
  investmentExecutedFen: 1,
  userOpinions: 'u',
  supervisionOpinion: 's',
  trialRunNotes: null,
};

/** The lawful path, so that random probes between its steps meet every status. */
const lawful: Make[] = [
  (today) => command('RegisterProject', registration({ planYear: yearOf(today) })),
  () => command('SubmitProposal', { documentRef: 'd' }),
  () => command('ApproveProposal', { opinion: 'o' }),
  () => command('SubmitFeasibilityStudy', { documentRef: 'd' }),
  () => command('ReviewSharing', { shareable: true, opinion: 'o' }),
  () => command('ApproveFeasibility', { opinion: 'o' }),
  () =>
    command('SubmitPreliminaryDesign', {
      documentRef: 'd',
      estimateFen: 300_000_000,
      productSecurityStatement: 's',
      cryptoApplicationPlan: 'c',
    }),
  () => command('ReviewPreliminaryDesign', { passed: true, verifiedEstimateFen: 300_000_000, opinion: 'o' }),
  () => command('ApprovePreliminaryDesign', { opinion: 'o', approvedEstimateFen: 300_000_000 }),
  () => command('AssignResponsibility', { implementingBody: 'b', responsiblePerson: 'p' }),
  () => command('EngageSupervisionUnit', { supervisionUnit: 's', contractRef: 'c' }),
  (today) => command('StartConstruction', { startedOn: today }),
  (today) => command('SubmitPerformanceReport', { ...REPORT, year: yearOf(today) }),
  (today) =>
    command('OrderRectification', {
      rectificationId: 'r-1',
      findings: ['f'],
      deadline: addDays(today, 10),
      article: '',
    }),
  (today) => command('CompleteConstruction', { completedOn: today, surplusFen: 1_000_000 }),
  () => command('AgreeAcceptancePlan', { method: 'm', experts: ['e'], materials: [] }),
  () => command('RecordArchiveAcceptance', { passed: true, opinion: 'o' }),
  () => command('RecordAcceptance', { passed: true, opinion: 'o', materials: MATERIALS, keyContent: KEY_CONTENT }),
  () => command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen: 1 }),
];

describe('every refusal is listed in the command’s refusals (property)', () => {
  afterAll(() => {
    // the probes must actually reach the rules, not stop at the role check
    const codes = new Set([...seen.values()].flatMap((s) => [...s]));
    expect(codes.size).toBeGreaterThanOrEqual(50);
  });

  it('project commands', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(probe, { maxLength: 3 }), { minLength: lawful.length, maxLength: lawful.length }),
        (noise) => {
          let today = '2024-01-02';
          let state: ProjectState = projectDecider.initialState();
          // before the registration, every probe meets an unregistered project and leaves it so
          for (const p of noise.flat().slice(0, 8)) {
            const cmd = p.make(today);
            expectListed(cmd.type, () =>
              projectDecider.decide(
                { ...cmd, metadata: { now: `${today}T10:00:00+08:00`, actor: defaultActor(cmd.type) } },
                state,
              ),
            );
          }
          const apply = (cmd: ProjectCommand, now: string, who: ProjectCommand['metadata']['actor']) => {
            const decided = expectListed(cmd.type, () =>
              projectDecider.decide({ ...cmd, metadata: { now, actor: who } }, state),
            );
            if (Array.isArray(decided)) for (const event of decided) state = projectDecider.evolve(state, event);
          };
          lawful.forEach((step, i) => {
            for (const p of [...noise[i], { make: step, days: 1, actor: null, clock: 'ok' }]) {
              today = addDays(today, p.days);
              const cmd = p.make(today);
              const now = p.clock === 'ok' ? `${today}T10:00:00+08:00` : p.clock;
              apply(cmd, now, p.actor ?? defaultActor(cmd.type));
            }
          });
        },
      ),
      { numRuns: 800 },
    );
  });

  it('annual plan commands', () => {
    const YEAR = 2027;
    const plan = fc.oneof(
      fc
        .record({
          id: fc.constantFrom('p-1', 'p-2'),
          special: fc.option(text),
          reg: fc.option(fc.boolean()),
          y: fc.constantFrom(YEAR, 2026),
        })
        .map((r): AnnualPlanCommand => ({
          type: 'IncludeProjectInPlan',
          data: {
            year: YEAR,
            projectId: r.id,
            reviewOpinion: 'o',
            specialCircumstance: r.special,
            ...(r.reg === null ? {} : { project: { registered: r.reg, planYear: r.y } }),
          },
          metadata: { now: '', actor: actors.office },
        })),
      fc.option(text).map((special): AnnualPlanCommand => ({
        type: 'AdoptAnnualPlan',
        data: { year: YEAR, meetingRef: 'm', specialCircumstance: special },
        metadata: { now: '', actor: actors.leading },
      })),
      fc
        .record({ id: fc.constantFrom('p-1', 'p-2', 'p-3'), inBudget: fc.boolean(), amount })
        .map((r): AnnualPlanCommand => ({
          type: 'RecordBudgetFeedback',
          data: { year: YEAR, projectId: r.id, inBudget: r.inBudget, controlAmountFen: r.amount },
          metadata: { now: '', actor: actors.finance },
        })),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ cmd: plan, actor, clock }), { maxLength: 30 }), (steps) => {
        let state = annualPlanDecider.initialState();
        for (const { cmd, actor: who, clock: c } of steps) {
          const metadata = { now: c === 'ok' ? '2026-11-26T10:00:00+08:00' : c, actor: who ?? cmd.metadata.actor };
          const decided = expectListed(cmd.type, () =>
            annualPlanDecider.decide({ ...cmd, metadata } as AnnualPlanCommand, state),
          );
          if (Array.isArray(decided)) for (const event of decided) state = annualPlanDecider.evolve(state, event);
        }
      }),
      { numRuns: 200 },
    );
  });
});

import {
  COMMAND_CATALOGUE,
  annualPlanDecider,
  assembleInbox,
  fold,
  inboxRolesOf,
  initialAnnualPlanState,
  projectDecider,
  projectInbox,
  systemInbox,
  type AnnualPlanEvent,
  type InboxItem,
  type Role,
} from '../../src/domain';
import { annualPlanInbox } from '../../src/domain/inbox';
import { stateOf } from './decider-specification';
import { H, NOW, PID, at, c, command, play } from './fixtures';

const state = (events: ReturnType<typeof play>) => stateOf(projectDecider, events);
const kinds = (events: ReturnType<typeof play>, role: Role, now = NOW, inBudget?: boolean) =>
  projectInbox(state(events), role, now, inBudget === undefined ? {} : { inBudget })
    .map((i) => i.kind)
    .sort();

describe('inbox: what awaits each role, derived from the command definitions', () => {
  it('every item names its command, whose route and roles it follows; no SYSTEM command is an item', () => {
    const histories = [
      H.registered(),
      H.approved(),
      H.underConstruction(),
      H.completed('2026-08-31', 10),
      H.accepted(),
    ];
    const roles: Role[] = [
      'CONSTRUCTION_UNIT',
      'OFFICE',
      'FINANCE',
      'SUPERVISOR',
      'GOVERNMENT',
      'LEADING_GROUP',
      'SYSTEM',
    ];
    for (const events of histories) {
      for (const role of roles) {
        for (const item of projectInbox(state(events), role, NOW)) {
          const info = COMMAND_CATALOGUE[item.command];
          expect(info.roles).toContain(role);
          expect(item.action).toBe(info.route);
          expect(info.roles).not.toEqual(['SYSTEM']);
        }
      }
    }
    expect(projectInbox(state(H.underConstruction()), 'SYSTEM', NOW)).toEqual([]);
    expect(projectInbox(state(H.underConstruction()), 'AUDIT', NOW)).toEqual([]);
    expect(projectInbox({ status: null }, 'OFFICE', NOW)).toEqual([]);
  });

  describe('OFFICE', () => {
    it('第六条 given a submitted proposal: approve it; approved, only the sharing review is left', () => {
      const submitted = play([c.submitProposal()], H.registered());
      expect(kinds(submitted, 'OFFICE')).toEqual(['APPROVE_PROPOSAL', 'REVIEW_SHARING']);
      expect(kinds(play([c.approveProposal()], submitted), 'OFFICE')).toEqual(['REVIEW_SHARING']);
    });
    it('第二十四条 a NEW or UPGRADE study waits for the sharing review; a continuation does not', () => {
      const study = play([c.submitProposal(), c.approveProposal(), c.submitFeasibility()], H.registered());
      expect(kinds(study, 'OFFICE')).toEqual(['REVIEW_SHARING']);
      expect(kinds(play([c.reviewSharing()], study), 'OFFICE')).toEqual(['APPROVE_FEASIBILITY']);
      const continuation = play(
        [c.submitProposal(), c.approveProposal(), c.submitFeasibility()],
        H.registered({ nature: 'CONTINUATION' }),
      );
      expect(kinds(continuation, 'OFFICE')).toEqual(['APPROVE_FEASIBILITY']);
    });
    it('第六条 a fast-tracked study: approving it confirms the fast track', () => {
      const fast = H.registered({
        estimateFen: 100_000_000,
        fastTrack: { reason: 'CITY_REQUIREMENT', urgent: true, depthMet: true, evidenceRef: 'doc:city' },
      });
      const study = play([c.submitFeasibility(), c.reviewSharing()], fast);
      expect(projectInbox(state(study), 'OFFICE', NOW)).toMatchObject([
        { kind: 'CONFIRM_FAST_TRACK', action: 'approve-feasibility', article: '第六条' },
      ]);
      expect(kinds(play([c.approveFeasibility()], study), 'OFFICE')).toEqual([]);
    });
    it('第八条 a submitted design is reviewed, then approved', () => {
      const reviewed = play(
        [c.submitProposal(), c.approveProposal(), c.submitFeasibility(), c.reviewSharing(), c.approveFeasibility()],
        H.registered(),
      );
      const designed = play([c.submitDesign()], reviewed);
      expect(kinds(designed, 'OFFICE')).toEqual(['REVIEW_DESIGN']);
      expect(kinds(play([c.reviewDesign()], designed), 'OFFICE')).toEqual(['APPROVE_DESIGN']);
      expect(kinds(play([c.reviewDesign(300_000_000, false)], designed), 'OFFICE')).toEqual([]);
    });
    it('第十八条 an incident to decide, since it was reported; decided, it is gone', () => {
      const reported = play(
        [
          at(
            '2026-03-10T10:00:00+08:00',
            command('ReportIncident', { incidentId: 'i-1', kind: 'SERIOUS_DELAY', description: 'd' }),
          ),
        ],
        H.underConstruction(),
      );
      expect(projectInbox(state(reported), 'OFFICE', NOW)).toMatchObject([
        {
          kind: 'DECIDE_INCIDENT',
          action: 'decide-incident',
          article: '第十八条',
          incidentId: 'i-1',
          since: '2026-03-10',
        },
      ]);
      const decided = play(
        [command('DecideIncident', { incidentId: 'i-1', decision: 'NOTED', opinion: 'o' })],
        reported,
      );
      expect(kinds(decided, 'OFFICE')).toEqual([]);
    });
    it('第二十一条、第二十二条 after completion: the acceptance plan and the archive acceptance, by the due date', () => {
      const items = projectInbox(state(H.completed('2026-08-31')), 'OFFICE', NOW);
      expect(items.map((i) => [i.kind, i.dueOn])).toEqual([
        ['AGREE_ACCEPTANCE_PLAN', '2027-02-28'],
        ['RECORD_ARCHIVE_ACCEPTANCE', '2027-02-28'],
      ]);
    });
  });

  describe('the one who ordered verifies (第二十七条)', () => {
    const submitted = (role: Role, subject?: 'FUND_USE') =>
      play(
        [
          {
            ...command('OrderRectification', {
              rectificationId: 'r-1',
              findings: ['f'],
              deadline: '2026-12-31',
              article: '第十九条',
              ...(subject ? { subject } : {}),
            }),
            metadata: { now: NOW, actor: { sub: 's', name: 'n', role } },
          },
          command('SubmitRectification', { rectificationId: 'r-1', report: '已整改' }),
        ],
        H.underConstruction(),
      );
    it.each([
      ['OFFICE', undefined],
      ['SUPERVISOR', undefined],
      ['FINANCE', 'FUND_USE' as const],
    ] as const)('ordered by %s: only %s sees the report to verify', (orderer, subject) => {
      const events = submitted(orderer, subject);
      for (const role of ['OFFICE', 'SUPERVISOR', 'FINANCE'] as const) {
        const verify = projectInbox(state(events), role, NOW).filter((i) => i.kind === 'VERIFY_RECTIFICATION');
        expect(verify.length).toBe(role === orderer ? 1 : 0);
      }
    });
    it('the unit reports by the deadline: overdue days count from the day after', () => {
      const ordered = play([c.order('r-2', '2026-12-31')], H.underConstruction());
      const report = (now: string) =>
        projectInbox(state(ordered), 'CONSTRUCTION_UNIT', now).find((i) => i.kind === 'SUBMIT_RECTIFICATION');
      expect(report('2026-12-31T23:00:00+08:00')).toMatchObject({
        dueOn: '2026-12-31',
        overdueDays: 0,
        rectificationId: 'r-2',
      });
      expect(report('2027-01-03T10:00:00+08:00')).toMatchObject({ overdueDays: 3 });
    });
  });

  describe('GOVERNMENT', () => {
    it('第二十四条 a project reviewed as not shareable awaits the exemption, then the office approves', () => {
      const notShareable = play(
        [
          c.submitProposal(),
          c.approveProposal(),
          c.submitFeasibility(),
          c.reviewSharing(false),
          c.approveFeasibility(),
          c.submitDesign(),
          c.reviewDesign(),
        ].map((x) => at('2026-01-05T10:00:00+08:00', x)),
        H.registered(),
      );
      expect(projectInbox(state(notShareable), 'GOVERNMENT', NOW)).toMatchObject([
        { kind: 'GRANT_SHARING_EXEMPTION', since: '2026-01-05' },
      ]);
      expect(kinds(notShareable, 'OFFICE')).toEqual([]);
      const exempted = play([command('GrantSharingExemption', { reason: '涉密' })], notShareable);
      expect(kinds(exempted, 'GOVERNMENT')).toEqual([]);
      expect(kinds(exempted, 'OFFICE')).toEqual(['APPROVE_DESIGN']);
    });
  });

  describe('FINANCE', () => {
    it('第八条 the approved investment to release, until all is released; not outside the budget (第五条)', () => {
      expect(projectInbox(state(H.approved()), 'FINANCE', NOW)).toMatchObject([
        { kind: 'RELEASE_INVESTMENT', amountFen: 300_000_000, since: '2026-01-05' },
      ]);
      expect(kinds(H.approved(), 'FINANCE', NOW, false)).toEqual([]);
      expect(kinds(H.approved(), 'FINANCE', NOW, true)).toEqual(['RELEASE_INVESTMENT']);
      const released = play([command('ReleaseInvestment', { amountFen: 300_000_000, documentRef: 'd' })], H.approved());
      expect(kinds(released, 'FINANCE')).toEqual([]);
      expect(kinds(H.registered(), 'FINANCE')).toEqual([]);
    });
    it('第二十一条 no release after a failed acceptance', () => {
      const failed = play([c.agreePlan(), c.archive(), c.accept({}, false)], H.completed());
      expect(kinds(failed, 'FINANCE')).not.toContain('RELEASE_INVESTMENT');
    });
    it('第十九条 the surplus to record returned, since completion', () => {
      const items = projectInbox(state(H.completed('2026-08-31', 5_000)), 'FINANCE', NOW);
      expect(items.find((i) => i.kind === 'RECORD_SURPLUS_RETURN')).toMatchObject({
        action: 'return-surplus',
        article: '第十九条',
        amountFen: 5_000,
        since: '2026-08-31',
        dueOn: null,
      });
    });
  });

  describe('CONSTRUCTION_UNIT', () => {
    it('第六条 the next document: the proposal, or the study on a fast track', () => {
      expect(kinds(H.registered(), 'CONSTRUCTION_UNIT')).toEqual(['SUBMIT_PROPOSAL']);
      const fast = H.registered({
        estimateFen: 100_000_000,
        fastTrack: { reason: 'CITY_REQUIREMENT', urgent: true, depthMet: true, evidenceRef: 'doc:city' },
      });
      expect(kinds(fast, 'CONSTRUCTION_UNIT')).toEqual(['SUBMIT_FEASIBILITY']);
      expect(kinds(play([c.submitProposal()], H.registered()), 'CONSTRUCTION_UNIT')).toEqual([]);
    });
    it('第十条、第十六条 before the start: people and supervision, then the start itself', () => {
      expect(kinds(H.approved(), 'CONSTRUCTION_UNIT')).toEqual(['ASSIGN_RESPONSIBILITY', 'ENGAGE_SUPERVISION']);
      expect(kinds(H.ready(), 'CONSTRUCTION_UNIT')).toEqual(['START_CONSTRUCTION']);
    });
    it('第十七条 the report due 12-31 of the construction year', () => {
      const report = (now: string) =>
        projectInbox(state(H.underConstruction()), 'CONSTRUCTION_UNIT', now).filter(
          (i) => i.kind === 'SUBMIT_PERFORMANCE_REPORT',
        );
      expect(report(NOW)).toMatchObject([{ dueOn: '2026-12-31', overdueDays: 0, year: 2026 }]);
      expect(report('2027-01-02T10:00:00+08:00')).toMatchObject([
        { year: 2026, overdueDays: 2 },
        { year: 2027, overdueDays: 0 },
      ]);
    });
    it('第二十三条 after a passed acceptance the asset, since the acceptance; registered, nothing', () => {
      const asset = projectInbox(state(H.accepted()), 'CONSTRUCTION_UNIT', NOW).filter(
        (i) => i.kind === 'REGISTER_ASSET',
      );
      expect(asset).toMatchObject([
        { kind: 'REGISTER_ASSET', article: '第二十三条', since: '2026-10-01', dueOn: null },
      ]);
      const registered = play([command('RegisterAsset', { assetClass: 'FIXED', costFen: 1 })], H.accepted());
      // the construction year's performance report is still owed (第十七条)
      expect(kinds(registered, 'CONSTRUCTION_UNIT')).toEqual(['SUBMIT_PERFORMANCE_REPORT']);
    });
    it('a suspended project: nothing the unit could file now', () => {
      const ordered = play([c.order('r-3'), c.order('r-4')], H.underConstruction());
      const suspended = play(
        [
          command('SubmitRectification', { rectificationId: 'r-3', report: 'x' }),
          command('VerifyRectification', { rectificationId: 'r-3', passed: false, opinion: 'no' }),
          command('SuspendProject', { reason: '整改不合格', basis: { rectificationId: 'r-3' } }),
        ],
        ordered,
      );
      expect(kinds(suspended, 'CONSTRUCTION_UNIT')).toEqual(['SUBMIT_RECTIFICATION', 'SUBMIT_RECTIFICATION']);
    });
  });

  it('inboxRolesOf: the roles with work whatever the date (the read model indexes it)', () => {
    expect(inboxRolesOf(state(H.registered()))).toEqual(['CONSTRUCTION_UNIT', 'OFFICE']);
    expect(inboxRolesOf(state(H.underConstruction()))).toEqual(['CONSTRUCTION_UNIT', 'FINANCE']);
    expect(inboxRolesOf({ status: null })).toEqual([]);
  });

  it('第五条 the annual plan: the leading group adopts a plan with entries; finance feeds back each entry', () => {
    const plan = (events: AnnualPlanEvent[]) => fold(annualPlanDecider, events, initialAnnualPlanState());
    const included: AnnualPlanEvent = {
      type: 'ProjectIncludedInPlan',
      data: {
        year: 2027,
        projectId: PID,
        reviewOpinion: 'ok',
        includedOn: '2026-10-01',
        afterAdoption: false,
        specialCircumstance: null,
      },
    };
    const adopted: AnnualPlanEvent = {
      type: 'AnnualPlanAdopted',
      data: {
        year: 2027,
        meetingRef: 'm',
        projectIds: [PID],
        adoptedOn: '2026-11-01',
        readoption: false,
        specialCircumstance: null,
      },
    };
    expect(annualPlanInbox(plan([included]), 'LEADING_GROUP', '2026-11-26')).toMatchObject([
      { kind: 'ADOPT_ANNUAL_PLAN', action: '/annual-plans/2027/adopt', article: '第五条', planYear: 2027 },
    ]);
    expect(annualPlanInbox(plan([included]), 'FINANCE', '2026-11-26')).toEqual([]);
    expect(annualPlanInbox(plan([included, adopted]), 'LEADING_GROUP', '2026-11-26')).toEqual([]);
    expect(annualPlanInbox(plan([included, adopted]), 'FINANCE', '2026-11-26')).toMatchObject([
      { kind: 'RECORD_BUDGET_FEEDBACK', projectId: PID, since: '2026-11-01' },
    ]);
    expect(annualPlanInbox(plan([]), 'LEADING_GROUP', '2026-11-26')).toEqual([]);
  });

  it('assembleInbox: overdue first, then by due date, undated last; counts per kind', () => {
    const item = (kind: InboxItem['kind'], dueOn: string | null, overdueDays: number): InboxItem => ({
      kind,
      command: 'SubmitProposal',
      action: 'submit-proposal',
      article: '第六条',
      project: null,
      planYear: 2026,
      dueOn,
      overdueDays,
      since: null,
    });
    const { items, counts, total } = assembleInbox([
      item('SUBMIT_PROPOSAL', null, 0),
      item('HOLD_ACCEPTANCE', '2027-02-01', 0),
      item('SUBMIT_RECTIFICATION', '2026-12-01', 3),
      item('SUBMIT_RECTIFICATION', '2026-11-01', 33),
      item('SUBMIT_PERFORMANCE_REPORT', '2026-12-31', 0),
    ]);
    expect(items.map((i) => i.dueOn)).toEqual(['2026-11-01', '2026-12-01', '2026-12-31', '2027-02-01', null]);
    expect(counts).toEqual({
      SUBMIT_RECTIFICATION: 2,
      SUBMIT_PERFORMANCE_REPORT: 1,
      HOLD_ACCEPTANCE: 1,
      SUBMIT_PROPOSAL: 1,
    });
    expect(total).toBe(5);
  });
});

describe('第二十四条 an existing system awaiting its first compliance record', () => {
  const system = {
    systemId: 'sys-1',
    name: '教育资源平台',
    departmentCode: 'D-EDU',
    inventoriedOn: '2026-11-20',
    assessed: false,
  };
  it('is the office’s and the supervisors’ item until assessed', () => {
    for (const role of ['OFFICE', 'SUPERVISOR'] as const) {
      expect(systemInbox(system, role, '2026-11-26')).toEqual([
        {
          kind: 'ASSESS_SYSTEM',
          command: 'RecordSystemCompliance',
          action: '/systems/sys-1/record-compliance',
          article: '第二十四条',
          project: null,
          planYear: null,
          dueOn: null,
          overdueDays: 0,
          since: '2026-11-20',
          system: { systemId: 'sys-1', name: '教育资源平台', departmentCode: 'D-EDU' },
        },
      ]);
    }
    expect(systemInbox({ ...system, assessed: true }, 'OFFICE', '2026-11-26')).toEqual([]);
    for (const role of ['CONSTRUCTION_UNIT', 'FINANCE', 'GOVERNMENT', 'AUDIT', 'LEADING_GROUP'] as const)
      expect(systemInbox(system, role, '2026-11-26')).toEqual([]);
  });
});

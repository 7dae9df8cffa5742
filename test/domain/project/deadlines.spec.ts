import { deadlinesOf, fold, nextDueDates, projectDecider, undatedObligationsOf } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, at, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);

describe('deadline watcher commands (SYSTEM)', () => {
  const completed = H.completed('2026-08-31');
  const mark = () => command('MarkAcceptanceOverdue', {});

  it('AcceptanceOverdue from the day after the due date, once', () => {
    spec.given(completed).when(at('2027-02-28T23:59:00+08:00', mark())).thenThrows('ACCEPTANCE_NOT_OVERDUE');
    spec
      .given(completed)
      .when(at('2027-03-01T00:00:00+08:00', mark()))
      .then([
        {
          type: 'AcceptanceOverdue',
          data: { projectId: PID, completedOn: '2026-08-31', acceptanceDueOn: '2027-02-28', detectedOn: '2027-03-01' },
        },
      ]);
    const marked = play([at('2027-03-01T00:00:00+08:00', mark())], completed);
    spec.given(marked).when(at('2027-03-02T00:00:00+08:00', mark())).thenNothing();
  });
  it('a granted extension moves the due date', () => {
    const extended = play(
      [
        command('RequestAcceptanceExtension', { until: '2027-04-30', reason: 'r' }),
        command('GrantAcceptanceExtension', { opinion: 'ok' }),
      ],
      completed,
    );
    spec.given(extended).when(at('2027-03-01T00:00:00+08:00', mark())).thenThrows('ACCEPTANCE_NOT_OVERDUE');
    const [d] = deadlinesOf(stateOf(projectDecider, extended), '2027-05-01T00:00:00+08:00');
    expect(d).toMatchObject({ kind: 'ACCEPTANCE', dueOn: '2027-04-30', extended: true, open: true, overdue: true });
    expect(d.missedDueOn).toBeNull();
  });
  it('an extension granted after the due date moves it, but the missed date stays on record', () => {
    const grantedLate = play(
      [
        at('2027-02-27T10:00:00+08:00', command('RequestAcceptanceExtension', { until: '2027-04-30', reason: 'r' })),
        at('2027-03-01T00:00:00+08:00', mark()),
        at('2027-03-03T10:00:00+08:00', command('GrantAcceptanceExtension', { opinion: 'ok' })),
      ],
      completed,
    );
    const state = stateOf(projectDecider, grantedLate);
    const [now] = deadlinesOf(state, '2027-03-04T00:00:00+08:00');
    expect(now).toMatchObject({ dueOn: '2027-04-30', overdue: false, markedOverdue: false, missedDueOn: '2027-02-28' });
    const [marked] = deadlinesOf(state);
    expect(marked).toMatchObject({ overdue: false, markedOverdue: false, missedDueOn: '2027-02-28' });
    // the new due date is watched again
    spec
      .given(grantedLate)
      .when(at('2027-05-01T00:00:00+08:00', mark()))
      .thenMatches([{ type: 'AcceptanceOverdue', data: { acceptanceDueOn: '2027-04-30' } }]);
  });
  it('only the system marks overdue', () => {
    spec
      .given(completed)
      .when({
        ...mark(),
        metadata: { now: '2027-03-01T00:00:00+08:00', actor: { sub: 'o', name: 'o', role: 'OFFICE' } },
      })
      .thenThrows('ROLE_NOT_ALLOWED');
  });
  it('PerformanceReportOverdue after 12-31 of a construction year without a report', () => {
    const building = H.underConstruction();
    const markYear = (year: number, now: string) => at(now, command('MarkPerformanceReportOverdue', { year }));
    spec.given(building).when(markYear(2026, '2026-12-31T23:00:00+08:00')).thenThrows('REPORT_NOT_OVERDUE');
    spec
      .given(building)
      .when(markYear(2026, '2027-01-01T00:00:00+08:00'))
      .then([
        {
          type: 'PerformanceReportOverdue',
          data: { projectId: PID, year: 2026, dueOn: '2026-12-31', detectedOn: '2027-01-01' },
        },
      ]);
    spec
      .given(play([c.report(2026)], building))
      .when(markYear(2026, '2027-01-01T00:00:00+08:00'))
      .thenThrows('REPORT_NOT_OVERDUE');
    spec.given(building).when(markYear(2025, '2027-01-01T00:00:00+08:00')).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    const marked = play([markYear(2026, '2027-01-01T00:00:00+08:00')], building);
    spec.given(marked).when(markYear(2026, '2027-01-02T00:00:00+08:00')).thenNothing();
  });
  it('RectificationOverdue after the deadline while unanswered', () => {
    const ordered = play([c.order('r-1', '2026-12-31')], H.underConstruction());
    const markR = (now: string) => at(now, command('MarkRectificationOverdue', { rectificationId: 'r-1' }));
    spec.given(ordered).when(markR('2026-12-31T12:00:00+08:00')).thenThrows('RECTIFICATION_NOT_OVERDUE');
    spec
      .given(ordered)
      .when(markR('2027-01-01T12:00:00+08:00'))
      .then([
        {
          type: 'RectificationOverdue',
          data: { projectId: PID, rectificationId: 'r-1', deadline: '2026-12-31', detectedOn: '2027-01-01' },
        },
      ]);
    const submitted = play([command('SubmitRectification', { rectificationId: 'r-1', report: 'done' })], ordered);
    spec.given(submitted).when(markR('2027-01-01T12:00:00+08:00')).thenThrows('RECTIFICATION_NOT_OVERDUE');
  });
});

describe('deadlinesOf', () => {
  it('lists acceptance, yearly reports and rectifications with overdue flags', () => {
    const history = play([c.order('r-1', '2026-12-31')], H.completed('2026-08-31'));
    const deadlines = deadlinesOf(stateOf(projectDecider, history), '2027-03-01T10:00:00+08:00');
    expect(deadlines).toEqual([
      {
        kind: 'ACCEPTANCE',
        dueOn: '2027-02-28',
        article: '第二十一条',
        open: true,
        overdue: true,
        markedOverdue: false,
        extended: false,
        missedDueOn: null,
      },
      {
        kind: 'PERFORMANCE_REPORT',
        dueOn: '2026-12-31',
        article: '第十七条',
        open: true,
        overdue: true,
        markedOverdue: false,
        year: 2026,
      },
      {
        kind: 'RECTIFICATION',
        dueOn: '2026-12-31',
        article: '第二十七条',
        open: true,
        overdue: true,
        markedOverdue: false,
        rectificationId: 'r-1',
      },
    ]);
  });
  it('closes acceptance once accepted and reports once submitted', () => {
    const history = play([c.report(2026, { trialRunNotes: 'ok' })], H.accepted());
    const deadlines = deadlinesOf(stateOf(projectDecider, history), '2027-06-01T10:00:00+08:00');
    expect(deadlines.every((d) => !d.open && !d.overdue)).toBe(true);
  });
  it('without now, overdue follows the watcher’s marks', () => {
    const state = stateOf(projectDecider, H.completed('2026-08-31'));
    expect(deadlinesOf(state)[0]).toMatchObject({ kind: 'ACCEPTANCE', overdue: false });
  });
});

describe('nextDueDates: the earliest open due date per kind, for indexing', () => {
  const folded = (events: ReturnType<typeof H.registered>) => fold(projectDecider, events);
  it('is the current year-end report while under construction, then next year once reported', () => {
    const building = H.underConstruction();
    expect(nextDueDates(folded(building))).toEqual({ PERFORMANCE_REPORT: '2026-12-31' });
    const reported = play([at('2026-11-20T10:00:00+08:00', c.report(2026))], building);
    expect(nextDueDates(folded(reported))).toEqual({ PERFORMANCE_REPORT: '2027-12-31' });
  });
  it('is the acceptance date six calendar months after completion, and none once accepted', () => {
    expect(nextDueDates(folded(H.completed('2026-08-31')))).toMatchObject({ ACCEPTANCE: '2027-02-28' });
    // The 2026 report was never filed, so that obligation outlives the acceptance (第十七条).
    expect(nextDueDates(folded(H.accepted()))).toEqual({ PERFORMANCE_REPORT: '2026-12-31' });
  });
  it('includes an open rectification deadline', () => {
    const ordered = play([at('2026-02-01T10:00:00+08:00', c.order('r-1', '2026-03-31'))], H.underConstruction());
    expect(nextDueDates(folded(ordered))).toMatchObject({
      RECTIFICATION: '2026-03-31',
      PERFORMANCE_REPORT: '2026-12-31',
    });
  });
});

describe('open obligations without a due date (第十八条, 第二十三条)', () => {
  const obligations = (events: ReturnType<typeof play>) =>
    undatedObligationsOf(stateOf(projectDecider, events)).map((o) => o.kind);
  const report = (incidentId: string) =>
    command('ReportIncident', { incidentId, kind: 'MAJOR_LOSS' as const, description: '投资损失' });

  it('第二十三条 given a passed acceptance, the asset is to register (dueOn null, never overdue)', () => {
    const accepted = H.accepted();
    expect(undatedObligationsOf(stateOf(projectDecider, accepted))).toEqual([
      {
        kind: 'ASSET_REGISTRATION',
        dueOn: null,
        article: '第二十三条',
        open: true,
        overdue: false,
        markedOverdue: false,
        acceptedOn: '2026-10-01',
      },
    ]);
  });
  it('第二十三条 when the asset is registered (at most the actual cost), the obligation closes', () => {
    const registered = play(
      [command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen: 300_000_000 })],
      H.accepted(),
    );
    expect(obligations(registered)).toEqual([]);
  });
  it('第二十三条 no asset to register before acceptance, nor after a failed one', () => {
    expect(obligations(H.completed())).toEqual([]);
    const failed = play([c.agreePlan(), c.archive(), c.accept({}, false)], H.completed());
    expect(obligations(failed)).toEqual([]);
  });
  it('第十八条 given a reported incident, it awaits the office until decided', () => {
    const reported = play([at('2026-03-10T10:00:00+08:00', report('i-7'))], H.underConstruction());
    expect(undatedObligationsOf(stateOf(projectDecider, reported))).toEqual([
      {
        kind: 'INCIDENT_DECISION',
        dueOn: null,
        article: '第十八条',
        open: true,
        overdue: false,
        markedOverdue: false,
        incidentId: 'i-7',
        incidentKind: 'MAJOR_LOSS',
        reportedOn: '2026-03-10',
      },
    ]);
    const decided = play(
      [command('DecideIncident', { incidentId: 'i-7', decision: 'NOTED', opinion: '知悉' })],
      reported,
    );
    expect(obligations(decided)).toEqual([]);
  });
  it('第十八条 a suspension resting on the incident decides it too', () => {
    const reported = play([report('i-8')], H.underConstruction());
    const suspended = play([command('SuspendProject', { reason: '查明损失', basis: { incidentId: 'i-8' } })], reported);
    expect(obligations(suspended)).toEqual([]);
  });
  it('dated obligations are not listed here, and the dated list does not hold these', () => {
    const reported = play([report('i-9')], H.underConstruction());
    expect(deadlinesOf(stateOf(projectDecider, reported)).map((d) => d.kind)).toEqual(['PERFORMANCE_REPORT']);
  });
});

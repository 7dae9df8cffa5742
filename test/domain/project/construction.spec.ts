import { projectDecider } from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { EARLY, H, PID, at, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const withResponsibility = (estimateFen: number) => play([at(EARLY, c.assign())], H.approved(estimateFen));

describe('第十条 responsibility and 第十六条 supervision before construction', () => {
  it('records implementing body, responsible person and supervision unit', () => {
    spec
      .given(H.approved())
      .when(c.assign())
      .then([
        {
          type: 'ResponsibilityAssigned',
          data: { projectId: PID, implementingBody: '信息中心', responsiblePerson: '赵六' },
        },
      ]);
    spec
      .given(H.registered())
      .when(c.engage())
      .then([
        {
          type: 'SupervisionUnitEngaged',
          data: { projectId: PID, supervisionUnit: '某监理公司', contractRef: 'ct-1' },
        },
      ]);
  });

  it('starts construction with the report due at year end', () => {
    spec
      .given(H.ready())
      .when(c.start('2026-11-26'))
      .then([
        {
          type: 'ConstructionStarted',
          data: {
            projectId: PID,
            startedOn: '2026-11-26',
            approvedEstimateFen: 300_000_000,
            supervisionRequired: true,
            performanceReportDueOn: '2026-12-31',
          },
        },
      ]);
  });

  it('RESPONSIBILITY_REQUIRED lists what is missing', () => {
    const error = spec.given(H.approved()).when(c.start()).thenThrows('RESPONSIBILITY_REQUIRED');
    expect(error.details).toEqual({ missing: ['implementingBody', 'responsiblePerson'] });
    expect(error.article).toBe('第十条');
  });

  it('199,999,999 fen needs no supervision unit', () => {
    spec
      .given(withResponsibility(199_999_999))
      .when(c.start())
      .thenMatches([{ type: 'ConstructionStarted', data: { supervisionRequired: false } }]);
  });

  it('200,000,000 fen (200 万, 含) needs a supervision unit', () => {
    const error = spec.given(withResponsibility(200_000_000)).when(c.start()).thenThrows('SUPERVISION_REQUIRED');
    expect(error.article).toBe('第十六条');
    spec
      .given(play([at(EARLY, c.engage())], withResponsibility(200_000_000)))
      .when(c.start())
      .thenMatches([{ type: 'ConstructionStarted', data: { supervisionRequired: true } }]);
  });

  it.each([
    ['DRAFT_PLAN', H.registered()],
    ['PROPOSAL', play([at(EARLY, c.submitProposal())], H.registered())],
  ])('CONSTRUCTION_BEFORE_APPROVAL from %s (第八条)', (_status, history) => {
    const error = spec.given(history).when(c.start()).thenThrows('CONSTRUCTION_BEFORE_APPROVAL', 'RULE_VIOLATION');
    expect(error.article).toBe('第八条');
  });

  it('CONSTRUCTION_BEFORE_APPROVAL for a start date before the approval date', () => {
    spec.given(H.ready()).when(c.start('2026-01-04')).thenThrows('CONSTRUCTION_BEFORE_APPROVAL');
    spec
      .given(H.ready())
      .when(c.start('2026-01-05'))
      .thenMatches([{ type: 'ConstructionStarted' }]);
  });

  it('refuses starting twice', () => {
    spec.given(H.underConstruction()).when(c.start()).thenThrows('INVALID_STATE');
  });
});

describe('第十七条 performance report each construction year', () => {
  it('accepts the current year on time', () => {
    spec
      .given(H.underConstruction())
      .when(c.report(2026))
      .then([
        {
          type: 'PerformanceReportSubmitted',
          data: {
            projectId: PID,
            year: 2026,
            progressPercent: 50,
            investmentExecutedFen: 100_000_000,
            userOpinions: '满意',
            supervisionOpinion: '良好',
            trialRunNotes: null,
            dueOn: '2026-12-31',
            late: false,
            submittedOn: TODAY,
          },
        },
      ]);
  });
  it('marks a report submitted on 01-01 of the next year as late', () => {
    spec
      .given(H.underConstruction())
      .when(at('2027-01-01T09:00:00+08:00', c.report(2026)))
      .thenMatches([{ type: 'PerformanceReportSubmitted', data: { late: true } }]);
    spec
      .given(H.underConstruction())
      .when(at('2026-12-31T23:59:00+08:00', c.report(2026)))
      .thenMatches([{ type: 'PerformanceReportSubmitted', data: { late: false } }]);
  });
  it('refuses years outside construction and duplicates', () => {
    spec.given(H.underConstruction()).when(c.report(2025)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    spec.given(H.underConstruction()).when(c.report(2027)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    spec
      .given(play([c.report(2026)], H.underConstruction()))
      .when(c.report(2026))
      .thenThrows('PERFORMANCE_REPORT_DUPLICATE', 'CONFLICT');
  });
  it('requires the supervision unit’s opinion once one is engaged', () => {
    spec
      .given(H.underConstruction())
      .when(c.report(2026, { supervisionOpinion: null }))
      .thenThrows('SUPERVISION_OPINION_REQUIRED');
  });
  it('requires trial-run notes for the completion year', () => {
    spec.given(H.completed()).when(c.report(2026)).thenThrows('TRIAL_RUN_NOTES_REQUIRED');
    spec
      .given(H.completed())
      .when(c.report(2026, { trialRunNotes: '试运行稳定' }))
      .thenMatches([{ type: 'PerformanceReportSubmitted' }]);
  });
  it.each([-1, 101, 50.5])('refuses progress %p %', (progressPercent) => {
    spec.given(H.underConstruction()).when(c.report(2026, { progressPercent })).thenThrows('INVALID_AMOUNT');
  });
  it('refuses before construction', () => {
    spec.given(H.ready()).when(c.report(2026)).thenThrows('INVALID_STATE');
  });
});

describe('第十八条 incidents and 第十九条/第二十一条 completion', () => {
  it('reports a serious delay', () => {
    spec
      .given(H.underConstruction())
      .when(command('ReportIncident', { incidentId: 'i-1', kind: 'SERIOUS_DELAY', description: '延期' }))
      .then([
        {
          type: 'IncidentReported',
          data: { projectId: PID, incidentId: 'i-1', kind: 'SERIOUS_DELAY', description: '延期', reportedOn: TODAY },
        },
      ]);
    spec
      .given(H.registered())
      .when(command('ReportIncident', { incidentId: 'i-1', kind: 'MAJOR_LOSS', description: 'x' }))
      .thenThrows('INVALID_STATE');
  });
  it('completes with acceptance due six calendar months later', () => {
    spec
      .given(H.underConstruction())
      .when(c.complete('2026-08-31', 1_000))
      .then([
        {
          type: 'ConstructionCompleted',
          data: {
            projectId: PID,
            completedOn: '2026-08-31',
            surplusFen: 1_000,
            totalFen: 300_000_000,
            acceptanceDueOn: '2027-02-28',
          },
        },
      ]);
  });
  it('refuses completion before the start, surplus over the total, or bad dates', () => {
    spec.given(H.underConstruction()).when(c.complete('2026-01-09')).thenThrows('COMPLETION_BEFORE_START');
    spec.given(H.underConstruction()).when(c.complete('2026-08-31', 300_000_001)).thenThrows('SURPLUS_EXCEEDS_TOTAL');
    spec
      .given(H.underConstruction())
      .when(c.complete('2026-08-31', 300_000_000))
      .thenMatches([{ type: 'ConstructionCompleted' }]);
    spec.given(H.underConstruction()).when(c.complete('2026-02-30')).thenThrows('INVALID_DATE');
  });
  it('refuses completion of a project not under construction', () => {
    spec.given(H.ready()).when(c.complete()).thenThrows('INVALID_STATE');
  });
});

describe('facts happen in the past: start (第八条), completion (第二十一条), report year (第十七条)', () => {
  it('DATE_IN_FUTURE (第八条) for a start after today, Ordos time; today itself is a start', () => {
    const error = spec.given(H.ready()).when(c.start('2026-11-27')).thenThrows('DATE_IN_FUTURE', 'RULE_VIOLATION');
    expect(error.article).toBe('第八条');
    expect(error.details).toEqual({ field: 'startedOn', value: '2026-11-27', today: TODAY });
    spec
      .given(H.ready())
      .when(c.start(TODAY))
      .thenMatches([{ type: 'ConstructionStarted', data: { startedOn: TODAY } }]);
    // 00:30 in Ordos is still the previous day in UTC: the Ordos day counts
    spec
      .given(H.ready())
      .when(at('2026-11-26T16:30:00Z', c.start('2026-11-27')))
      .thenMatches([{ type: 'ConstructionStarted', data: { startedOn: '2026-11-27' } }]);
    spec
      .given(H.ready())
      .when(at('2026-11-27T15:59:00Z', c.start('2026-11-28')))
      .thenThrows('DATE_IN_FUTURE');
  });

  it('DATE_IN_FUTURE (第二十一条) for a completion after today; today itself is a completion', () => {
    const error = spec.given(H.underConstruction()).when(c.complete('2026-11-27')).thenThrows('DATE_IN_FUTURE');
    expect(error.article).toBe('第二十一条');
    expect(error.details).toEqual({ field: 'completedOn', value: '2026-11-27', today: TODAY });
    spec
      .given(H.underConstruction())
      .when(c.complete(TODAY))
      .thenMatches([{ type: 'ConstructionCompleted', data: { completedOn: TODAY, acceptanceDueOn: '2027-05-26' } }]);
  });

  it('a completion not before the start: the start day itself may be the completion day', () => {
    spec.given(H.underConstruction()).when(c.complete('2026-01-09')).thenThrows('COMPLETION_BEFORE_START');
    spec
      .given(H.underConstruction())
      .when(c.complete('2026-01-10'))
      .thenMatches([{ type: 'ConstructionCompleted' }]);
  });

  it('REPORT_YEAR_OUT_OF_RANGE for a year after this one, even with a start stored ahead of its day', () => {
    // A ConstructionStarted stored before starts were checked may lie ahead: its year is no
    // construction year yet, and neither is the year before it.
    const startedAhead = [
      ...H.ready(),
      {
        type: 'ConstructionStarted' as const,
        data: {
          projectId: PID,
          startedOn: '2027-02-01',
          approvedEstimateFen: 300_000_000,
          supervisionRequired: true,
          performanceReportDueOn: '2027-12-31',
        },
      },
    ];
    const error = spec.given(startedAhead).when(c.report(2027)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    expect(error.article).toBe('第十七条');
    expect(error.details).toMatchObject({ year: 2027, thisYear: 2026 });
    spec.given(startedAhead).when(c.report(2026)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    spec
      .given(startedAhead)
      .when(at('2027-03-01T10:00:00+08:00', c.report(2027)))
      .thenMatches([{ type: 'PerformanceReportSubmitted', data: { year: 2027 } }]);
  });

  it('a report year runs from the start year to this year', () => {
    const in2025 = <C extends Parameters<typeof at>[1]>(cmd: C) => at('2025-02-03T10:00:00+08:00', cmd);
    const approved2025 = play(
      [
        c.register(),
        c.submitProposal(),
        c.approveProposal(),
        c.submitFeasibility(),
        c.reviewSharing(),
        c.approveFeasibility(),
        c.submitDesign(),
        c.reviewDesign(),
        c.approveDesign(),
        c.assign(),
        c.engage(),
      ].map(in2025),
    );
    const since2025 = play([at('2025-03-01T10:00:00+08:00', c.start('2025-03-01'))], approved2025);
    spec.given(since2025).when(c.report(2024)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
    spec
      .given(since2025)
      .when(c.report(2025))
      .thenMatches([{ type: 'PerformanceReportSubmitted', data: { year: 2025, late: true } }]);
    spec
      .given(since2025)
      .when(c.report(2026))
      .thenMatches([{ type: 'PerformanceReportSubmitted', data: { year: 2026, late: false } }]);
    spec.given(since2025).when(c.report(2027)).thenThrows('REPORT_YEAR_OUT_OF_RANGE');
  });

  it('an opinion or notes of nothing visible are none (第十七条)', () => {
    spec
      .given(H.underConstruction())
      .when(c.report(2026, { supervisionOpinion: ' \u200b\ufeff ' }))
      .thenThrows('SUPERVISION_OPINION_REQUIRED');
    spec
      .given(H.completed())
      .when(c.report(2026, { trialRunNotes: '\u3000\t' }))
      .thenThrows('TRIAL_RUN_NOTES_REQUIRED');
    spec
      .given(H.completed())
      .when(c.report(2026, { supervisionOpinion: '\u200b良好', trialRunNotes: '稳定' }))
      .thenMatches([{ type: 'PerformanceReportSubmitted' }]);
  });
});

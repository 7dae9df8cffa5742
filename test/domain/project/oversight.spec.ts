import { projectDecider } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, actingAs, actors, at, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const building = H.underConstruction();
const ordered = play([c.order()], building);
const submit = () => command('SubmitRectification', { rectificationId: 'r-1', report: '已整改' });
const verify = (passed: boolean) =>
  command('VerifyRectification', { rectificationId: 'r-1', passed, opinion: passed ? '合格' : '仍不合格' });
const reason = { reason: '逾期不整改' };
/** r-1 ordered, reported and rejected (整改后仍不符合要求): a basis for every sanction. */
const rejected = play([c.order(), submit(), verify(false)], building);
const onR1 = { ...reason, basis: { rectificationId: 'r-1' } };
/** After r-1's deadline (2026-12-31). */
const LATER = '2027-01-05T09:00:00+08:00';
const decide = (decision: 'RECTIFY' | 'SUSPEND' | 'NOTED', incidentId = 'i-1') =>
  command('DecideIncident', { incidentId, decision, opinion: '处理意见' });

describe('第二十七条 rectification (限期整改)', () => {
  it('the office or a supervisor orders with findings and a deadline after today', () => {
    spec
      .given(building)
      .when(actingAs(actors.supervisor, c.order()))
      .then([
        {
          type: 'RectificationOrdered',
          data: {
            projectId: PID,
            rectificationId: 'r-1',
            findings: ['未共享数据'],
            deadline: '2026-12-31',
            article: '第二十四条',
            orderedBy: { sub: 'u-sup', name: '网信办', role: 'SUPERVISOR' },
            orderedOn: TODAY,
          },
        },
      ]);
    spec
      .given(building)
      .when(c.order('r-2', '2026-11-27'))
      .thenMatches([{ type: 'RectificationOrdered', article: '第二十四条、第二十七条' }]);
    spec.given(building).when(c.order('r-2', TODAY)).thenThrows('DEADLINE_NOT_IN_FUTURE');
    spec
      .given(building)
      .when(
        command('OrderRectification', {
          rectificationId: 'r',
          findings: [],
          deadline: '2027-01-01',
          article: '第二十七条',
        }),
      )
      .thenThrows('FINDINGS_REQUIRED');
    spec.given(ordered).when(c.order()).thenThrows('RECTIFICATION_EXISTS', 'CONFLICT');
  });
  it('the unit submits a report; late after the deadline', () => {
    spec
      .given(ordered)
      .when(submit())
      .then([
        {
          type: 'RectificationSubmitted',
          data: { projectId: PID, rectificationId: 'r-1', report: '已整改', submittedOn: TODAY, late: false },
        },
      ]);
    spec
      .given(ordered)
      .when({ ...submit(), metadata: { ...submit().metadata, now: '2027-01-01T09:00:00+08:00' } })
      .thenMatches([{ type: 'RectificationSubmitted', data: { late: true } }]);
    spec
      .given(ordered)
      .when(command('SubmitRectification', { rectificationId: 'nope', report: 'x' }))
      .thenThrows('RECTIFICATION_NOT_FOUND', 'NOT_FOUND');
  });
  it('verifies or rejects a submitted report; a rejected one is reported again', () => {
    const submitted = play([submit()], ordered);
    spec
      .given(submitted)
      .when(verify(true))
      .then([
        {
          type: 'RectificationVerified',
          data: { projectId: PID, rectificationId: 'r-1', opinion: '合格', verifiedOn: TODAY },
        },
      ]);
    spec
      .given(submitted)
      .when(verify(false))
      .then([
        {
          type: 'RectificationRejected',
          data: {
            projectId: PID,
            rectificationId: 'r-1',
            opinion: '仍不合格',
            rejectedOn: TODAY,
            deadline: '2026-12-31',
          },
        },
      ]);
    spec.given(ordered).when(verify(true)).thenThrows('RECTIFICATION_NOT_SUBMITTED', 'INVALID_STATE');
    spec.given(submitted).when(submit()).thenThrows('RECTIFICATION_NOT_OPEN', 'INVALID_STATE');
    spec
      .given(play([verify(false)], submitted))
      .when(submit())
      .thenMatches([{ type: 'RectificationSubmitted' }]);
    spec
      .given(play([verify(true)], submitted))
      .when(submit())
      .thenThrows('RECTIFICATION_NOT_OPEN');
  });
});

describe('第二十七条 rectification: the article cited and who orders', () => {
  const order = (article: string, subject?: 'FUND_USE' | 'PROCUREMENT' | 'OTHER') =>
    command('OrderRectification', {
      rectificationId: 'r-5',
      findings: ['问题'],
      deadline: '2026-12-31',
      article,
      ...(subject ? { subject } : {}),
    });
  it('cites one article of the measures, or several joined by 、', () => {
    spec
      .given(building)
      .when(order('第三十三条'))
      .thenMatches([{ type: 'RectificationOrdered', data: { article: '第三十三条' } }]);
    spec
      .given(building)
      .when(order('第十七条、第二十七条'))
      .thenMatches([{ type: 'RectificationOrdered', data: { article: '第十七条、第二十七条' } }]);
    spec
      .given(building)
      .when(order('第十条'))
      .thenMatches([{ type: 'RectificationOrdered', data: { article: '第十条' } }]);
  });
  it('refuses what is not an article of the measures: 422 ARTICLE_NOT_IN_MEASURES (第二十七条)', () => {
    for (const article of [
      '第三十四条',
      '第零条',
      '第二十七',
      '27',
      '第十七条、第十七条',
      '第十七条,第二十七条',
      '第十七条、',
    ]) {
      const error = spec.given(building).when(order(article)).thenThrows('ARTICLE_NOT_IN_MEASURES', 'RULE_VIOLATION');
      expect(error.article).toBe('第二十七条');
    }
  });
  it('finance orders on fund use and procurement only, and verifies only its own orders', () => {
    spec
      .given(building)
      .when(actingAs(actors.finance, order('第十九条', 'FUND_USE')))
      .thenMatches([{ type: 'RectificationOrdered', data: { subject: 'FUND_USE', orderedBy: { role: 'FINANCE' } } }]);
    spec
      .given(building)
      .when(actingAs(actors.finance, order('第十九条', 'PROCUREMENT')))
      .thenMatches([{ type: 'RectificationOrdered', data: { subject: 'PROCUREMENT' } }]);
    spec
      .given(building)
      .when(actingAs(actors.finance, order('第十一条')))
      .thenThrows('FINANCE_FUNDS_ONLY');
    spec
      .given(building)
      .when(actingAs(actors.finance, order('第十一条', 'OTHER')))
      .thenThrows('FINANCE_FUNDS_ONLY');
    // the office and supervisors may name any subject, or none
    spec
      .given(building)
      .when(order('第十一条', 'OTHER'))
      .thenMatches([{ type: 'RectificationOrdered', data: { subject: 'OTHER' } }]);
    const withSubject = play([actingAs(actors.finance, order('第十九条', 'FUND_USE'))], building);
    expect(stateOf(projectDecider, withSubject)).toMatchObject({ rectifications: { 'r-5': { subject: 'FUND_USE' } } });
    const financeOrdered = play([actingAs(actors.finance, order('第十九条', 'FUND_USE'))], building);
    const reported = play(
      [command('SubmitRectification', { rectificationId: 'r-5', report: '已整改' })],
      financeOrdered,
    );
    const verifyR5 = command('VerifyRectification', { rectificationId: 'r-5', passed: true, opinion: '合格' });
    spec
      .given(reported)
      .when(actingAs(actors.finance, verifyR5))
      .thenMatches([{ type: 'RectificationVerified' }]);
    spec
      .given(reported)
      .when(verifyR5)
      .thenMatches([{ type: 'RectificationVerified' }]);
    const officeOrdered = play([submit()], ordered);
    const error = spec
      .given(officeOrdered)
      .when(actingAs(actors.finance, verify(true)))
      .thenThrows('NOT_THE_ORDERER', 'FORBIDDEN');
    expect(error.article).toBe('第二十七条');
  });
});

describe('第二十七条 sanctions rest on an overdue or rejected rectification', () => {
  it('criticizes and counts, naming the rectification; defers investment', () => {
    spec
      .given(play([command('CriticizeProject', onR1)], rejected))
      .when(command('CriticizeProject', onR1))
      .then([
        {
          type: 'ProjectCriticized',
          data: {
            projectId: PID,
            reason: '逾期不整改',
            criticismCount: 2,
            criticizedOn: TODAY,
            basis: { rectificationId: 'r-1' },
          },
        },
      ]);
    spec
      .given(rejected)
      .when(command('DeferInvestment', onR1))
      .then([
        {
          type: 'InvestmentDeferred',
          data: { projectId: PID, reason: '逾期不整改', deferredOn: TODAY, basis: { rectificationId: 'r-1' } },
        },
      ]);
  });
  it('an overdue rectification (no report after the deadline) is a basis; one within its deadline is not', () => {
    spec
      .given(ordered)
      .when(at(LATER, command('DeferInvestment', onR1)))
      .thenMatches([{ type: 'InvestmentDeferred', data: { basis: { rectificationId: 'r-1' } } }]);
    for (const type of ['CriticizeProject', 'DeferInvestment', 'SuspendProject', 'TerminateProject'] as const) {
      const error = spec
        .given(ordered)
        .when(command(type, onR1))
        .thenThrows('RECTIFICATION_NOT_OVERDUE_OR_REJECTED', 'RULE_VIOLATION');
      expect(error.details).toMatchObject({ rectificationId: 'r-1', rectificationStatus: 'OPEN' });
    }
  });
  it('a report awaiting verification, or a verified rectification, is no basis', () => {
    const submitted = play([submit()], ordered);
    spec
      .given(submitted)
      .when(at(LATER, command('TerminateProject', onR1)))
      .thenThrows('RECTIFICATION_NOT_OVERDUE_OR_REJECTED');
    spec
      .given(play([verify(true)], submitted))
      .when(at(LATER, command('CriticizeProject', onR1)))
      .thenThrows('RECTIFICATION_NOT_OVERDUE_OR_REJECTED');
    // rejected, reported again: the new report awaits its verification
    spec
      .given(play([submit()], rejected))
      .when(command('SuspendProject', onR1))
      .thenThrows('RECTIFICATION_NOT_OVERDUE_OR_REJECTED');
  });
  it('without a basis, with an unknown one, or one the sanction cannot rest on: 422 with its article', () => {
    const cases: Array<[Parameters<typeof command>[0], object, string, string]> = [
      ['CriticizeProject', {}, 'SANCTION_BASIS_REQUIRED', '第二十七条、第三十条'],
      ['DeferInvestment', { incidentId: 'i-1' }, 'SANCTION_BASIS_REQUIRED', '第二十七条、第三十条'],
      ['TerminateProject', { violation: 'FRAUD' }, 'SANCTION_BASIS_REQUIRED', '第二十七条'],
      ['SuspendProject', { violation: 'FRAUD' }, 'SANCTION_BASIS_REQUIRED', '第十八条、第二十七条'],
      [
        'CriticizeProject',
        { rectificationId: 'r-1', violation: 'FRAUD' },
        'SANCTION_BASIS_REQUIRED',
        '第二十七条、第三十条',
      ],
      ['CriticizeProject', { violation: 'BRIBERY' }, 'SANCTION_BASIS_REQUIRED', '第三十条'],
      ['TerminateProject', { rectificationId: 'nope' }, 'SANCTION_BASIS_NOT_FOUND', '第二十七条'],
      ['SuspendProject', { incidentId: 'nope' }, 'SANCTION_BASIS_NOT_FOUND', '第十八条'],
    ];
    for (const [type, basis, code, article] of cases) {
      const cmd = command(type as 'CriticizeProject', { reason: 'x', basis });
      const error = spec.given(rejected).when(cmd).thenThrows(code, 'RULE_VIOLATION');
      expect({ type, basis, article: error.article }).toEqual({ type, basis, article });
    }
    const missing = command('TerminateProject', { reason: 'x' });
    spec.given(rejected).when(missing).thenThrows('SANCTION_BASIS_REQUIRED');
  });
  it('第三十条: a criticism may name the violation instead', () => {
    for (const violation of ['UNAPPROVED', 'FRAUD', 'OVER_ESTIMATE', 'POOR_QUALITY', 'WASTE', 'ACCIDENT'] as const) {
      spec
        .given(building)
        .when(command('CriticizeProject', { reason: '虚报', basis: { violation } }))
        .thenMatches([{ type: 'ProjectCriticized', data: { basis: { violation } }, article: '第二十七条、第三十条' }]);
    }
  });
  it('suspends on the rectification and resumes to the previous status', () => {
    spec
      .given(rejected)
      .when(command('SuspendProject', onR1))
      .then([
        {
          type: 'ProjectSuspended',
          data: {
            projectId: PID,
            reason: '逾期不整改',
            previousStatus: 'UNDER_CONSTRUCTION',
            suspendedOn: TODAY,
            basis: { rectificationId: 'r-1' },
          },
        },
      ]);
    const suspended = play([command('SuspendProject', onR1)], rejected);
    spec
      .given(suspended)
      .when(command('ResumeProject', { reason: '整改完成' }))
      .then([
        {
          type: 'ProjectResumed',
          data: { projectId: PID, reason: '整改完成', resumedStatus: 'UNDER_CONSTRUCTION', resumedOn: TODAY },
        },
      ]);
    const resumed = play([command('ResumeProject', { reason: 'ok' })], suspended);
    expect(stateOf(projectDecider, resumed).status).toBe('UNDER_CONSTRUCTION');
    spec.given(building).when(command('ResumeProject', reason)).thenThrows('INVALID_STATE');
  });
  it('a suspended project accepts only resume, rectification and termination', () => {
    const suspended = play([command('SuspendProject', onR1)], rejected);
    spec.given(suspended).when(c.report(2026)).thenThrows('INVALID_STATE');
    spec.given(suspended).when(c.adjust(1)).thenThrows('INVALID_STATE');
    spec.given(suspended).when(c.complete()).thenThrows('INVALID_STATE');
    spec.given(suspended).when(command('CriticizeProject', onR1)).thenThrows('INVALID_STATE');
    spec
      .given(suspended)
      .when(c.order('r-9'))
      .thenMatches([{ type: 'RectificationOrdered' }]);
    spec
      .given(suspended)
      .when(submit())
      .thenMatches([{ type: 'RectificationSubmitted' }]);
    spec
      .given(suspended)
      .when(command('TerminateProject', onR1))
      .thenMatches([
        { type: 'ProjectTerminated', data: { previousStatus: 'SUSPENDED', basis: { rectificationId: 'r-1' } } },
      ]);
  });
  it('the office terminates, naming the rectification; a terminated project accepts nothing', () => {
    spec
      .given(rejected)
      .when(command('TerminateProject', onR1))
      .then([
        {
          type: 'ProjectTerminated',
          data: {
            projectId: PID,
            reason: '逾期不整改',
            previousStatus: 'UNDER_CONSTRUCTION',
            terminatedOn: TODAY,
            basis: { rectificationId: 'r-1' },
          },
        },
      ]);
    const terminated = play([command('TerminateProject', onR1)], rejected);
    for (const cmd of [
      submit(),
      c.order('r-2'),
      command('ResumeProject', reason),
      command('TerminateProject', onR1),
      c.report(2026),
      command('CriticizeProject', onR1),
      decide('NOTED'),
    ]) {
      const error = spec.given(terminated).when(cmd).thenThrows('INVALID_STATE');
      expect(error.details).toMatchObject({ status: 'TERMINATED' });
    }
  });
  it('第二十七条 names the office: the leading group may not terminate; supervisors may not suspend', () => {
    spec
      .given(rejected)
      .when(actingAs(actors.leading, command('TerminateProject', onR1)))
      .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
    spec
      .given(rejected)
      .when(actingAs(actors.supervisor, command('SuspendProject', onR1)))
      .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });
  it('sanction events stored before sanctions named a basis still fold', () => {
    const old = [
      ...building,
      { type: 'ProjectCriticized', data: { projectId: PID, reason: 'x', criticismCount: 1, criticizedOn: TODAY } },
      { type: 'InvestmentDeferred', data: { projectId: PID, reason: 'x', deferredOn: TODAY } },
      {
        type: 'ProjectSuspended',
        data: { projectId: PID, reason: 'x', previousStatus: 'UNDER_CONSTRUCTION', suspendedOn: TODAY },
      },
      {
        type: 'ProjectTerminated',
        data: { projectId: PID, reason: 'x', previousStatus: 'SUSPENDED', terminatedOn: TODAY },
      },
    ] as typeof building;
    expect(stateOf(projectDecider, old)).toMatchObject({
      status: 'TERMINATED',
      oversight: { criticisms: 1, investmentDeferred: true },
    });
  });
});

describe('第二十七条 a finding of nothing visible is none', () => {
  const order = (findings: string[]) =>
    command('OrderRectification', { rectificationId: 'r-9', findings, deadline: '2027-01-01', article: '第二十七条' });
  it('FINDINGS_REQUIRED when a finding is blank', () => {
    spec
      .given(building)
      .when(order(['未按期报送', ' \u200b']))
      .thenThrows('FINDINGS_REQUIRED');
    spec
      .given(building)
      .when(order(['未按期报送']))
      .thenMatches([{ type: 'RectificationOrdered' }]);
  });
});

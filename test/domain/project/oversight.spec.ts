import { projectDecider } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, actingAs, actors, c, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const building = H.underConstruction();
const ordered = play([c.order()], building);
const submit = () => command('SubmitRectification', { rectificationId: 'r-1', report: '已整改' });
const verify = (passed: boolean) =>
  command('VerifyRectification', { rectificationId: 'r-1', passed, opinion: passed ? '合格' : '仍不合格' });
const reason = { reason: '逾期不整改' };

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

describe('第二十七条、第三十条 sanctions; 第十八条 suspension', () => {
  it('criticizes and counts, defers investment', () => {
    spec
      .given(play([command('CriticizeProject', reason)], building))
      .when(command('CriticizeProject', reason))
      .then([
        {
          type: 'ProjectCriticized',
          data: { projectId: PID, reason: '逾期不整改', criticismCount: 2, criticizedOn: TODAY },
        },
      ]);
    spec
      .given(building)
      .when(command('DeferInvestment', reason))
      .then([{ type: 'InvestmentDeferred', data: { projectId: PID, reason: '逾期不整改', deferredOn: TODAY } }]);
  });
  it('suspends and resumes to the previous status', () => {
    spec
      .given(building)
      .when(command('SuspendProject', reason))
      .then([
        {
          type: 'ProjectSuspended',
          data: { projectId: PID, reason: '逾期不整改', previousStatus: 'UNDER_CONSTRUCTION', suspendedOn: TODAY },
        },
      ]);
    const suspended = play([command('SuspendProject', reason)], building);
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
    const suspended = play([c.order(), command('SuspendProject', reason)], building);
    spec.given(suspended).when(c.report(2026)).thenThrows('INVALID_STATE');
    spec.given(suspended).when(c.adjust(1)).thenThrows('INVALID_STATE');
    spec.given(suspended).when(c.complete()).thenThrows('INVALID_STATE');
    spec.given(suspended).when(command('CriticizeProject', reason)).thenThrows('INVALID_STATE');
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
      .when(command('TerminateProject', reason))
      .thenMatches([{ type: 'ProjectTerminated', data: { previousStatus: 'SUSPENDED' } }]);
  });
  it('terminates (office or leading group); a terminated project accepts nothing', () => {
    spec
      .given(building)
      .when(actingAs(actors.leading, command('TerminateProject', reason)))
      .then([
        {
          type: 'ProjectTerminated',
          data: { projectId: PID, reason: '逾期不整改', previousStatus: 'UNDER_CONSTRUCTION', terminatedOn: TODAY },
        },
      ]);
    const terminated = play([c.order(), command('TerminateProject', reason)], building);
    for (const cmd of [
      submit(),
      c.order('r-2'),
      command('ResumeProject', reason),
      command('TerminateProject', reason),
      c.report(2026),
      command('CriticizeProject', reason),
    ]) {
      const error = spec.given(terminated).when(cmd).thenThrows('INVALID_STATE');
      expect(error.details).toMatchObject({ status: 'TERMINATED' });
    }
  });
  it('supervisors may not suspend or criticize', () => {
    spec
      .given(building)
      .when(actingAs(actors.supervisor, command('SuspendProject', reason)))
      .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
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

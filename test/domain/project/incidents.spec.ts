import { projectDecider, type IncidentDecision } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, actingAs, actors, command, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const building = H.underConstruction();
const incident = (incidentId = 'i-1') =>
  command('ReportIncident', { incidentId, kind: 'SERIOUS_DELAY' as const, description: '延期' });
const decide = (decision: IncidentDecision, incidentId = 'i-1') =>
  command('DecideIncident', { incidentId, decision, opinion: '处理意见' });

describe('第十八条 the office decides on a reported incident', () => {
  const reported = play([incident()], building);
  it('an incident is an open obligation until decided (RECTIFY or NOTED)', () => {
    expect(stateOf(projectDecider, reported)).toMatchObject({
      oversight: {
        incidents: 1,
        incidentLog: [{ incidentId: 'i-1', kind: 'SERIOUS_DELAY', reportedOn: TODAY, decision: null, decidedOn: null }],
      },
    });
    for (const decision of ['RECTIFY', 'NOTED'] as const) {
      spec
        .given(reported)
        .when(decide(decision))
        .then([
          {
            type: 'IncidentDecided',
            data: { projectId: PID, incidentId: 'i-1', decision, opinion: '处理意见', decidedOn: TODAY },
          },
        ]);
    }
    const decided = play([decide('RECTIFY')], reported);
    expect(stateOf(projectDecider, decided)).toMatchObject({
      oversight: { incidentLog: [{ incidentId: 'i-1', decision: 'RECTIFY', decidedOn: TODAY }] },
    });
  });
  it('SUSPEND suspends the project with the incident as basis', () => {
    spec
      .given(reported)
      .when(decide('SUSPEND'))
      .then([
        {
          type: 'IncidentDecided',
          data: { projectId: PID, incidentId: 'i-1', decision: 'SUSPEND', opinion: '处理意见', decidedOn: TODAY },
        },
        {
          type: 'ProjectSuspended',
          data: {
            projectId: PID,
            reason: '处理意见',
            previousStatus: 'UNDER_CONSTRUCTION',
            suspendedOn: TODAY,
            basis: { incidentId: 'i-1' },
          },
        },
      ]);
    // already suspended (on another incident): the decision only
    const suspended = play([incident('i-2'), decide('SUSPEND', 'i-2')], reported);
    spec
      .given(suspended)
      .when(decide('SUSPEND'))
      .then([
        {
          type: 'IncidentDecided',
          data: { projectId: PID, incidentId: 'i-1', decision: 'SUSPEND', opinion: '处理意见', decidedOn: TODAY },
        },
      ]);
  });
  it('suspend on an undecided incident decides it; on one decided otherwise it is refused', () => {
    const onI1 = { reason: '重大损失', basis: { incidentId: 'i-1' } };
    spec
      .given(reported)
      .when(command('SuspendProject', onI1))
      .thenMatches([
        { type: 'IncidentDecided', data: { incidentId: 'i-1', decision: 'SUSPEND' }, article: '第十八条' },
        { type: 'ProjectSuspended', data: { basis: { incidentId: 'i-1' } } },
      ]);
    spec
      .given(play([decide('NOTED')], reported))
      .when(command('SuspendProject', onI1))
      .thenThrows('INCIDENT_DECIDED_OTHERWISE', 'RULE_VIOLATION');
    // decided SUSPEND, then resumed: a new suspension may rest on it again
    const resumed = play([decide('SUSPEND'), command('ResumeProject', { reason: '恢复' })], reported);
    spec
      .given(resumed)
      .when(command('SuspendProject', onI1))
      .then([
        {
          type: 'ProjectSuspended',
          data: {
            projectId: PID,
            reason: '重大损失',
            previousStatus: 'UNDER_CONSTRUCTION',
            suspendedOn: TODAY,
            basis: { incidentId: 'i-1' },
          },
        },
      ]);
  });
  it('refuses an unknown incident, a second decision, an unknown decision, other roles', () => {
    spec.given(reported).when(decide('NOTED', 'nope')).thenThrows('INCIDENT_NOT_FOUND', 'NOT_FOUND');
    spec
      .given(play([decide('NOTED')], reported))
      .when(decide('RECTIFY'))
      .thenThrows('INCIDENT_ALREADY_DECIDED', 'CONFLICT');
    spec
      .given(reported)
      .when(decide('LATER' as IncidentDecision))
      .thenThrows('INVALID_INCIDENT_DECISION', 'RULE_VIOLATION');
    spec
      .given(reported)
      .when(actingAs(actors.supervisor, decide('NOTED')))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec.given(reported).when(incident()).thenThrows('INCIDENT_EXISTS', 'CONFLICT');
  });
  it('incidents stored before they had ids are named incident-<n> by the fold', () => {
    const old = [
      ...building,
      {
        type: 'IncidentReported',
        data: { projectId: PID, kind: 'SERIOUS_DELAY', description: 'a', reportedOn: TODAY },
      },
      { type: 'IncidentReported', data: { projectId: PID, kind: 'MAJOR_LOSS', description: 'b', reportedOn: TODAY } },
    ] as typeof building;
    expect(stateOf(projectDecider, old)).toMatchObject({
      oversight: {
        incidents: 2,
        incidentLog: [
          { incidentId: 'incident-1', kind: 'SERIOUS_DELAY', decision: null },
          { incidentId: 'incident-2', kind: 'MAJOR_LOSS', decision: null },
        ],
      },
    });
    spec
      .given(old)
      .when(decide('NOTED', 'incident-2'))
      .thenMatches([{ type: 'IncidentDecided', data: { incidentId: 'incident-2' } }]);
  });
});

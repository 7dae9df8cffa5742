import { fold, projectDecider, stateView } from '../../../src/domain';
import { H, command, play } from '../fixtures';

/** The fields of `GET /projects/:id/state` in version 1 of the contract (and version 2's additions), in order. */
const CONTRACT_FIELDS = [
  'status',
  'projectId',
  'name',
  'category',
  'departmentCode',
  'crossDepartment',
  'planYear',
  'estimateFen',
  'fastTrack',
  'skippedProposal',
  'stageApproved',
  'rejectedStage',
  'statusBeforeSuspension',
  'designEstimateFen',
  'designReview',
  'approvedEstimateFen',
  'approvedOn',
  'adjustmentCeilingFen',
  'implementingBody',
  'responsiblePerson',
  'supervisionUnit',
  'supervisionRequired',
  'startedOn',
  'currentTotalFen',
  'adjustedFundsTotalFen',
  'reportedYears',
  'overdueReportYears',
  'incidents',
  'incidentLog',
  'undecidedIncidents',
  'completedOn',
  'surplusFen',
  'surplusReturnedFen',
  'acceptanceDueOn',
  'acceptanceExtended',
  'pendingExtension',
  'acceptanceOverdueMarkedFor',
  'acceptanceMissedDueOn',
  'acceptancePlanAgreed',
  'archiveAcceptancePassed',
  'acceptanceFailures',
  'acceptedOn',
  'acceptedOnTime',
  'asset',
  'compliance',
  'sharingExemption',
  'rectifications',
  'criticisms',
  'investmentDeferred',
  'fastTrackConfirmed',
  'sharingReview',
  'releasedFen',
  'evaluations',
  'subStatus',
];

describe('stateView: the folded state as the contract shows it (flat)', () => {
  it('a registered project: every field at the top level, later stages still empty', () => {
    const view = stateView(fold(projectDecider, H.registered()));
    expect(Object.keys(view)).toEqual(CONTRACT_FIELDS);
    expect(view).toMatchObject({ status: 'DRAFT_PLAN', stageApproved: false, approvedEstimateFen: null });
    expect(view).toMatchObject({ startedOn: null, reportedYears: [], acceptanceDueOn: null, surplusFen: 0 });
    expect(view.releasedFen).toBe(0);
  });

  it('第十九条 releasedFen adds up the released tranches', () => {
    const release = (amountFen: number) =>
      command('ReleaseInvestment', { amountFen, documentRef: '鄂财建〔2026〕12号' });
    const view = stateView(fold(projectDecider, play([release(100), release(250)], H.approved())));
    expect(view.releasedFen).toBe(350);
  });

  it('an accepted project: the facts of every stage in their flat fields', () => {
    const state = fold(projectDecider, H.accepted());
    const view = stateView(state);
    expect(Object.keys(view)).toEqual(CONTRACT_FIELDS);
    if (state.status === null) throw new Error('registered');
    expect(view).toMatchObject({
      status: state.status,
      name: state.registration.name,
      approvedEstimateFen: state.approved?.approvedEstimateFen,
      currentTotalFen: state.approved?.currentTotalFen,
      startedOn: state.construction?.startedOn,
      completedOn: state.acceptance?.completedOn,
      acceptanceDueOn: state.acceptance?.dueOn,
      acceptedOn: state.acceptance?.acceptedOn,
      implementingBody: state.responsibility.implementingBody,
    });
    expect(view.acceptedOn).toEqual(expect.any(String));
  });

  it('before registration: nothing but the absence', () => {
    expect(stateView(projectDecider.initialState())).toEqual({ status: null });
  });
});

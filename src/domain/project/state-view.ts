import type { ProjectState } from './state';
import { subStatusOf } from './sub-status';

/**
 * The folded state as `GET /projects/:id/state` shows it: the flat shape of version 1 of the
 * contract, which auditors and the dashboard read. The state inside is grouped by stage so the
 * compiler knows what exists when; the answer keeps every field at the top level, null (or its
 * neutral value) until the stage that sets it.
 */
export function stateView(state: ProjectState): Record<string, unknown> {
  if (state.status === null) return { status: null };
  const { registration: r, approval: a, approved: d, responsibility: p, construction: c, acceptance: x } = state;
  return {
    status: state.status,
    projectId: state.projectId,
    name: r.name,
    category: r.category,
    departmentCode: r.departmentCode,
    crossDepartment: r.crossDepartment,
    planYear: r.planYear,
    estimateFen: r.estimateFen,
    fastTrack: r.fastTrack,
    skippedProposal: a.skippedProposal,
    stageApproved: a.stageApproved,
    rejectedStage: a.rejectedStage,
    statusBeforeSuspension: state.statusBeforeSuspension,
    designEstimateFen: a.design?.estimateFen ?? null,
    designReview: a.design?.review ?? null,
    approvedEstimateFen: d?.approvedEstimateFen ?? null,
    approvedOn: d?.approvedOn ?? null,
    adjustmentCeilingFen: d?.adjustmentCeilingFen ?? null,
    implementingBody: p.implementingBody,
    responsiblePerson: p.responsiblePerson,
    supervisionUnit: p.supervisionUnit,
    supervisionRequired: d?.supervisionRequired ?? false,
    startedOn: c?.startedOn ?? null,
    currentTotalFen: d?.currentTotalFen ?? null,
    adjustedFundsTotalFen: d?.adjustedFundsTotalFen ?? 0,
    reportedYears: c?.reportedYears ?? [],
    overdueReportYears: c?.overdueReportYears ?? [],
    incidents: state.oversight.incidents,
    incidentLog: state.oversight.incidentLog,
    /** 第十八条 open obligations: incidents the office has not decided on. */
    undecidedIncidents: state.oversight.incidentLog.filter((i) => i.decision === null).map((i) => i.incidentId),
    completedOn: x?.completedOn ?? null,
    surplusFen: x?.surplusFen ?? 0,
    surplusReturnedFen: x?.surplusReturnedFen ?? 0,
    acceptanceDueOn: x?.dueOn ?? null,
    acceptanceExtended: x?.extended ?? false,
    pendingExtension: x?.pendingExtension ?? null,
    acceptanceOverdueMarkedFor: x?.overdueMarkedFor ?? null,
    acceptanceMissedDueOn: x?.missedDueOn ?? null,
    acceptancePlanAgreed: x?.planAgreed ?? false,
    archiveAcceptancePassed: x?.archivePassed ?? null,
    acceptanceFailures: x?.failures ?? 0,
    acceptedOn: x?.acceptedOn ?? null,
    acceptedOnTime: x?.acceptedOnTime ?? null,
    asset: state.asset,
    compliance: state.compliance.facts,
    sharingExemption: state.compliance.sharingExemption,
    rectifications: state.rectifications,
    criticisms: state.oversight.criticisms,
    investmentDeferred: state.oversight.investmentDeferred,
    /** 第六条: the office confirmed the fast track with the feasibility approval (v2 of the contract). */
    fastTrackConfirmed: a.fastTrackConfirmed ?? false,
    /** 第二十四条 the office's sharing review (v2 of the contract); null until reviewed. */
    sharingReview: state.compliance.sharingReview,
    /** 第十九条 the investment released by finance so far, in tranches (v2 of the contract). */
    releasedFen: d?.releasedFen ?? 0,
    /** 第二十六条、第二十九条 the office's evaluations, in the order given. */
    evaluations: state.evaluations,
    /** where the project stands within its status (sub-status.ts); null where the status says it all */
    subStatus: subStatusOf(state),
  };
}

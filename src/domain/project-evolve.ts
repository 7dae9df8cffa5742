import { ProjectEvent } from './project-events';
import { ProjectState, Rectification, RectificationStatus } from './project-state';

function withRectification(
  state: ProjectState,
  id: string,
  change: Partial<Rectification> & { status?: RectificationStatus },
): ProjectState {
  const current = state.rectifications[id];
  if (!current) return state;
  return { ...state, rectifications: { ...state.rectifications, [id]: { ...current, ...change } } };
}

/** Pure fold: facts only, no rule is re-applied here (rules live in decide). */
export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'ProjectRegistered': {
      const d = event.data;
      return {
        ...state,
        status: 'DRAFT_PLAN',
        projectId: d.projectId,
        name: d.name,
        category: d.category,
        departmentCode: d.departmentCode,
        crossDepartment: d.crossDepartment,
        planYear: d.planYear,
        estimateFen: d.estimateFen,
        fastTrack: d.fastTrack,
      };
    }
    case 'ProposalSubmitted':
      return { ...state, status: 'PROPOSAL', stageApproved: false, rejectedStage: null };
    case 'FeasibilityStudySubmitted':
      return { ...state, status: 'FEASIBILITY', stageApproved: false, rejectedStage: null, skippedProposal: event.data.fastTrack };
    case 'PreliminaryDesignSubmitted':
      return {
        ...state,
        status: 'PRELIMINARY_DESIGN',
        stageApproved: false,
        rejectedStage: null,
        designEstimateFen: event.data.estimateFen,
        designReview: null,
      };
    case 'ProposalApproved':
    case 'FeasibilityApproved':
      return { ...state, stageApproved: true };
    case 'ProposalRejected':
      return { ...state, status: 'REJECTED', rejectedStage: 'PROPOSAL' };
    case 'FeasibilityRejected':
      return { ...state, status: 'REJECTED', rejectedStage: 'FEASIBILITY' };
    case 'PreliminaryDesignRejected':
      return { ...state, status: 'REJECTED', rejectedStage: 'PRELIMINARY_DESIGN' };
    case 'PreliminaryDesignReviewed':
      return { ...state, designReview: { passed: event.data.passed, verifiedEstimateFen: event.data.verifiedEstimateFen } };
    case 'PreliminaryDesignApproved':
      return {
        ...state,
        status: 'APPROVED',
        stageApproved: true,
        approvedEstimateFen: event.data.approvedEstimateFen,
        currentTotalFen: event.data.approvedEstimateFen,
        approvedOn: event.data.approvedOn,
        supervisionRequired: event.data.supervisionRequired,
        adjustmentCeilingFen: event.data.adjustmentCeilingFen,
      };
    case 'ResponsibilityAssigned':
      return { ...state, implementingBody: event.data.implementingBody, responsiblePerson: event.data.responsiblePerson };
    case 'SupervisionUnitEngaged':
      return { ...state, supervisionUnit: event.data.supervisionUnit };
    case 'ConstructionStarted':
      return { ...state, status: 'UNDER_CONSTRUCTION', startedOn: event.data.startedOn };
    case 'PerformanceReportSubmitted':
      return {
        ...state,
        reportedYears: [...state.reportedYears, event.data.year].sort((a, b) => a - b),
        overdueReportYears: state.overdueReportYears.filter((y) => y !== event.data.year),
      };
    case 'IncidentReported':
      return { ...state, incidents: state.incidents + 1 };
    case 'AdjustmentFiled':
      return { ...state, currentTotalFen: event.data.newTotalFen, adjustedFundsTotalFen: event.data.adjustedFundsTotalFen };
    case 'ConstructionCompleted':
      return {
        ...state,
        status: 'COMPLETED',
        completedOn: event.data.completedOn,
        surplusFen: event.data.surplusFen,
        acceptanceDueOn: event.data.acceptanceDueOn,
      };
    case 'SurplusFundsReturned':
      return { ...state, surplusReturnedFen: event.data.returnedTotalFen };
    case 'AcceptancePlanAgreed':
      return { ...state, acceptancePlanAgreed: true };
    case 'ArchiveAcceptanceRecorded':
      return { ...state, archiveAcceptancePassed: event.data.passed };
    case 'AcceptanceExtensionRequested':
      return { ...state, pendingExtension: { until: event.data.until, reason: event.data.reason } };
    case 'AcceptanceExtensionGranted':
      return { ...state, pendingExtension: null, acceptanceExtended: true, acceptanceDueOn: event.data.acceptanceDueOn };
    case 'AcceptancePassed':
      return { ...state, status: 'ACCEPTED', acceptedOn: event.data.acceptedOn, pendingExtension: null };
    case 'AcceptanceFailed':
      return { ...state, status: 'ACCEPTANCE_FAILED', acceptanceFailures: state.acceptanceFailures + 1 };
    case 'AssetRegistered':
      return { ...state, status: 'ASSET_REGISTERED', asset: { assetClass: event.data.assetClass, costFen: event.data.costFen } };
    case 'ComplianceRecorded': {
      const d = event.data;
      const compliance = {
        sharesData: d.sharesData,
        duplicateCollection: d.duplicateCollection,
        inCatalogue: d.inCatalogue,
        cryptoAssessmentPassed: d.cryptoAssessmentPassed,
        securityAssessmentPassed: d.securityAssessmentPassed,
        majorSecurityHazard: d.majorSecurityHazard,
      };
      return { ...state, compliance };
    }
    case 'SharingExemptionGranted':
      return { ...state, sharingExemption: { reason: event.data.reason, grantedOn: event.data.grantedOn } };
    case 'RectificationOrdered': {
      const d = event.data;
      const rectification: Rectification = {
        rectificationId: d.rectificationId,
        findings: d.findings,
        deadline: d.deadline,
        article: d.article,
        orderedByRole: d.orderedBy.role,
        status: 'OPEN',
        overdueMarked: false,
      };
      return { ...state, rectifications: { ...state.rectifications, [d.rectificationId]: rectification } };
    }
    case 'RectificationSubmitted':
      return withRectification(state, event.data.rectificationId, { status: 'SUBMITTED' });
    case 'RectificationVerified':
      return withRectification(state, event.data.rectificationId, { status: 'VERIFIED' });
    case 'RectificationRejected':
      return withRectification(state, event.data.rectificationId, { status: 'REJECTED' });
    case 'RectificationOverdue':
      return withRectification(state, event.data.rectificationId, { overdueMarked: true });
    case 'ProjectCriticized':
      return { ...state, criticisms: event.data.criticismCount };
    case 'InvestmentDeferred':
      return { ...state, investmentDeferred: true };
    case 'ProjectSuspended':
      return { ...state, status: 'SUSPENDED', statusBeforeSuspension: event.data.previousStatus };
    case 'ProjectResumed':
      return { ...state, status: event.data.resumedStatus, statusBeforeSuspension: null };
    case 'ProjectTerminated':
      return { ...state, status: 'TERMINATED' };
    case 'AcceptanceOverdue':
      return { ...state, acceptanceOverdueMarkedFor: event.data.acceptanceDueOn };
    case 'PerformanceReportOverdue':
      return { ...state, overdueReportYears: [...state.overdueReportYears, event.data.year].sort((a, b) => a - b) };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

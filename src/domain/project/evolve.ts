import { isAfter } from '../calendar';
import { ProjectEvent } from '../project-events';
import { Incident, ProjectState, RegisteredProject, Rectification } from './state';

/**
 * An incident's id: the one its event carries, or for events stored before incidents had ids,
 * `incident-<n>` by its place among the project's incidents (the stream is append-only, so n never
 * changes). New reports always carry a generated id, so the two kinds never meet.
 */
export function incidentIdOf(event: { data: { incidentId?: string } }, reportedBefore: number): string {
  return event.data.incidentId ?? `incident-${reportedBefore + 1}`;
}

function withRectification(state: RegisteredProject, id: string, change: Partial<Rectification>): RegisteredProject {
  const current = state.rectifications[id];
  if (!current) return state;
  return { ...state, rectifications: { ...state.rectifications, [id]: { ...current, ...change } } };
}

/** Pure fold: facts only, no rule is re-applied here (rules live in decide). */
export function evolveProject(state: ProjectState, event: ProjectEvent): ProjectState {
  if (event.type === 'ProjectRegistered') {
    const d = event.data;
    return {
      status: 'DRAFT_PLAN',
      statusBeforeSuspension: null,
      projectId: d.projectId,
      registration: {
        name: d.name,
        category: d.category,
        departmentCode: d.departmentCode,
        nature: d.nature,
        crossDepartment: d.crossDepartment,
        planYear: d.planYear,
        estimateFen: d.estimateFen,
        fastTrack: d.fastTrack,
        ...(d.financeLibraryId === undefined ? {} : { financeLibraryId: d.financeLibraryId }),
      },
      approval: { stageApproved: false, rejectedStage: null, skippedProposal: false, design: null },
      approved: null,
      responsibility: { implementingBody: null, responsiblePerson: null, supervisionUnit: null },
      construction: null,
      acceptance: null,
      asset: null,
      compliance: { facts: null, sharingExemption: null, sharingReview: null },
      rectifications: {},
      oversight: { incidents: 0, incidentLog: [], criticisms: 0, investmentDeferred: false },
      evaluations: [],
      documents: {},
    };
  }
  // A stream starts with its registration; anything before it changes nothing.
  if (state.status === null) return state;
  return evolveRegistered(state, event);
}

function evolveRegistered(
  state: RegisteredProject,
  event: Exclude<ProjectEvent, { type: 'ProjectRegistered' }>,
): RegisteredProject {
  const { approval, approved, construction, acceptance } = state;
  switch (event.type) {
    case 'ProposalSubmitted':
      return { ...state, status: 'PROPOSAL', approval: { ...approval, stageApproved: false, rejectedStage: null } };
    case 'FeasibilityStudySubmitted':
      return {
        ...state,
        status: 'FEASIBILITY',
        approval: { ...approval, stageApproved: false, rejectedStage: null, skippedProposal: event.data.fastTrack },
      };
    case 'PreliminaryDesignSubmitted':
      return {
        ...state,
        status: 'PRELIMINARY_DESIGN',
        approval: {
          ...approval,
          stageApproved: false,
          rejectedStage: null,
          design: { estimateFen: event.data.estimateFen, review: null },
        },
      };
    case 'ProposalApproved':
      return { ...state, approval: { ...approval, stageApproved: true } };
    case 'FeasibilityApproved':
      return {
        ...state,
        approval: {
          ...approval,
          stageApproved: true,
          ...(event.data.fastTrackConfirmed ? { fastTrackConfirmed: true } : {}),
        },
      };
    case 'ProposalRejected':
      return { ...state, status: 'REJECTED', approval: { ...approval, rejectedStage: 'PROPOSAL' } };
    case 'FeasibilityRejected':
      return { ...state, status: 'REJECTED', approval: { ...approval, rejectedStage: 'FEASIBILITY' } };
    case 'PreliminaryDesignRejected':
      return { ...state, status: 'REJECTED', approval: { ...approval, rejectedStage: 'PRELIMINARY_DESIGN' } };
    case 'PreliminaryDesignReviewed': {
      if (!approval.design) return state;
      const review = { passed: event.data.passed, verifiedEstimateFen: event.data.verifiedEstimateFen };
      return { ...state, approval: { ...approval, design: { ...approval.design, review } } };
    }
    case 'PreliminaryDesignApproved':
      return {
        ...state,
        status: 'APPROVED',
        approval: { ...approval, stageApproved: true },
        approved: {
          approvedOn: event.data.approvedOn,
          approvedEstimateFen: event.data.approvedEstimateFen,
          supervisionRequired: event.data.supervisionRequired,
          adjustmentCeilingFen: event.data.adjustmentCeilingFen,
          currentTotalFen: event.data.approvedEstimateFen,
          adjustedFundsTotalFen: 0,
        },
      };
    case 'ResponsibilityAssigned': {
      const { implementingBody, responsiblePerson } = event.data;
      return { ...state, responsibility: { ...state.responsibility, implementingBody, responsiblePerson } };
    }
    case 'SupervisionUnitEngaged':
      return { ...state, responsibility: { ...state.responsibility, supervisionUnit: event.data.supervisionUnit } };
    case 'ConstructionStarted':
      return {
        ...state,
        status: 'UNDER_CONSTRUCTION',
        construction: { startedOn: event.data.startedOn, reportedYears: [], overdueReportYears: [] },
      };
    case 'PerformanceReportSubmitted': {
      if (!construction) return state;
      const year = event.data.year;
      return {
        ...state,
        construction: {
          ...construction,
          reportedYears: [...construction.reportedYears, year].sort((a, b) => a - b),
          overdueReportYears: construction.overdueReportYears.filter((y) => y !== year),
        },
      };
    }
    case 'PerformanceReportOverdue': {
      if (!construction) return state;
      const overdueReportYears = [...construction.overdueReportYears, event.data.year].sort((a, b) => a - b);
      return { ...state, construction: { ...construction, overdueReportYears } };
    }
    case 'IncidentReported': {
      const { incidents, incidentLog } = state.oversight;
      const incident: Incident = {
        incidentId: incidentIdOf(event, incidents),
        kind: event.data.kind,
        reportedOn: event.data.reportedOn,
        decision: null,
        decidedOn: null,
      };
      return {
        ...state,
        oversight: { ...state.oversight, incidents: incidents + 1, incidentLog: [...incidentLog, incident] },
      };
    }
    case 'IncidentDecided': {
      const { incidentId, decision, decidedOn } = event.data;
      const incidentLog = state.oversight.incidentLog.map((i) =>
        i.incidentId === incidentId ? { ...i, decision, decidedOn } : i,
      );
      return { ...state, oversight: { ...state.oversight, incidentLog } };
    }
    case 'InvestmentReleased':
      if (!approved) return state;
      return { ...state, approved: { ...approved, releasedFen: event.data.releasedTotalFen } };
    case 'ProjectEvaluated': {
      const { kind, grade, opinion, evaluatedOn } = event.data;
      return { ...state, evaluations: [...state.evaluations, { kind, grade, opinion, evaluatedOn }] };
    }
    case 'AdjustmentFiled':
      if (!approved) return state;
      return {
        ...state,
        approved: {
          ...approved,
          currentTotalFen: event.data.newTotalFen,
          adjustedFundsTotalFen: event.data.adjustedFundsTotalFen,
        },
      };
    case 'ConstructionCompleted':
      return {
        ...state,
        status: 'COMPLETED',
        acceptance: {
          completedOn: event.data.completedOn,
          surplusFen: event.data.surplusFen,
          surplusReturnedFen: 0,
          dueOn: event.data.acceptanceDueOn,
          extended: false,
          pendingExtension: null,
          overdueMarkedFor: null,
          missedDueOn: null,
          planAgreed: false,
          archivePassed: null,
          failures: 0,
          acceptedOn: null,
          acceptedOnTime: null,
        },
      };
    case 'SurplusFundsReturned':
      if (!acceptance) return state;
      return { ...state, acceptance: { ...acceptance, surplusReturnedFen: event.data.returnedTotalFen } };
    case 'AcceptancePlanAgreed':
      if (!acceptance) return state;
      return { ...state, acceptance: { ...acceptance, planAgreed: true } };
    case 'ArchiveAcceptanceRecorded':
      if (!acceptance) return state;
      return { ...state, acceptance: { ...acceptance, archivePassed: event.data.passed } };
    case 'AcceptanceExtensionRequested': {
      if (!acceptance) return state;
      const pendingExtension = { until: event.data.until, reason: event.data.reason };
      return { ...state, acceptance: { ...acceptance, pendingExtension } };
    }
    case 'AcceptanceExtensionGranted': {
      if (!acceptance) return state;
      const { previousDueOn, grantedOn, acceptanceDueOn } = event.data;
      // Granted after the due date it replaces: that date was missed, whatever the new one (第二十一条).
      const missedDueOn = acceptance.missedDueOn ?? (isAfter(grantedOn, previousDueOn) ? previousDueOn : null);
      return {
        ...state,
        acceptance: { ...acceptance, pendingExtension: null, extended: true, dueOn: acceptanceDueOn, missedDueOn },
      };
    }
    case 'AcceptancePassed':
      if (!acceptance) return state;
      return {
        ...state,
        status: 'ACCEPTED',
        acceptance: {
          ...acceptance,
          acceptedOn: event.data.acceptedOn,
          acceptedOnTime: event.data.onTime,
          pendingExtension: null,
        },
      };
    case 'AcceptanceFailed':
      if (!acceptance) return state;
      return {
        ...state,
        status: 'ACCEPTANCE_FAILED',
        acceptance: { ...acceptance, failures: acceptance.failures + 1 },
      };
    case 'AcceptanceOverdue': {
      if (!acceptance) return state;
      const overdueMarkedFor = event.data.acceptanceDueOn;
      const missedDueOn = acceptance.missedDueOn ?? overdueMarkedFor;
      return { ...state, acceptance: { ...acceptance, overdueMarkedFor, missedDueOn } };
    }
    case 'AssetRegistered':
      return {
        ...state,
        status: 'ASSET_REGISTERED',
        asset: { assetClass: event.data.assetClass, costFen: event.data.costFen },
      };
    case 'ComplianceRecorded': {
      const d = event.data;
      const facts = {
        sharesData: d.sharesData,
        duplicateCollection: d.duplicateCollection,
        inCatalogue: d.inCatalogue,
        cryptoAssessmentPassed: d.cryptoAssessmentPassed,
        securityAssessmentPassed: d.securityAssessmentPassed,
        majorSecurityHazard: d.majorSecurityHazard,
      };
      return { ...state, compliance: { ...state.compliance, facts } };
    }
    case 'SharingExemptionGranted': {
      const sharingExemption = { reason: event.data.reason, grantedOn: event.data.grantedOn };
      return { ...state, compliance: { ...state.compliance, sharingExemption } };
    }
    case 'SharingReviewed': {
      const { shareable, opinion, reviewedOn } = event.data;
      return { ...state, compliance: { ...state.compliance, sharingReview: { shareable, opinion, reviewedOn } } };
    }
    case 'RectificationOrdered': {
      const d = event.data;
      const rectification: Rectification = {
        rectificationId: d.rectificationId,
        findings: d.findings,
        deadline: d.deadline,
        article: d.article,
        orderedByRole: d.orderedBy.role,
        subject: d.subject ?? null,
        status: 'OPEN',
        overdueMarked: false,
      };
      return { ...state, rectifications: { ...state.rectifications, [d.rectificationId]: rectification } };
    }
    case 'RectificationSubmitted':
      return withRectification(state, event.data.rectificationId, { status: 'SUBMITTED' });
    case 'DocumentUploaded': {
      const { documentId, kind, name, size, sha256 } = event.data;
      return { ...state, documents: { ...state.documents, [documentId]: { documentId, kind, name, size, sha256 } } };
    }
    case 'RectificationVerified':
      return withRectification(state, event.data.rectificationId, { status: 'VERIFIED' });
    case 'RectificationRejected':
      return withRectification(state, event.data.rectificationId, { status: 'REJECTED' });
    case 'RectificationOverdue':
      return withRectification(state, event.data.rectificationId, { overdueMarked: true });
    case 'ProjectCriticized':
      return { ...state, oversight: { ...state.oversight, criticisms: event.data.criticismCount } };
    case 'InvestmentDeferred':
      return { ...state, oversight: { ...state.oversight, investmentDeferred: true } };
    case 'ProjectSuspended':
      return { ...state, status: 'SUSPENDED', statusBeforeSuspension: event.data.previousStatus };
    case 'ProjectResumed':
      return { ...state, status: event.data.resumedStatus, statusBeforeSuspension: null };
    case 'ProjectTerminated':
      return { ...state, status: 'TERMINATED' };
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

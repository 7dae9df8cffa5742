import {
  availableCommands,
  deadlinesOf,
  eventFamily,
  fold,
  inboxRolesOf,
  nextDueDates,
  omEligibility,
  subStatusOf,
  surplusOutstandingOf,
  undatedObligationsOf,
  projectDecider,
  type Family,
  type ProjectEvent,
  type ProjectState,
} from '../domain';
import type { StoredEvent } from '../event-store/event-store.port';
import { decidedUnder, type DocBody, type Projection } from '../projections/projection';
import { projectIdOfStream } from '../application/streams';

/** Family keys usable as field names (dashboards sum them). */
export const FAMILY_KEYS: Record<Family, string> = {
  立项: 'initiation',
  批复: 'approval',
  建设: 'construction',
  调整备案: 'adjustment',
  验收: 'acceptance',
  整改: 'rectification',
};

function projectIdOf(event: StoredEvent): string | undefined {
  return projectIdOfStream(event.streamId);
}

/**
 * The project read model (detail and list): the domain's own state folded from the events,
 * plus the flat fields the list filters, sorts and groups on. Deriving it with the domain's
 * evolve means the read model can never disagree with what decide saw.
 */
export const projectsProjection: Projection = {
  name: 'projects',
  // 4: the folded `state` kept beside the document is grouped (registration, approved, …)
  // 5: `policy {id, lapsed}` — the policy the latest decision rests on (第三十三条); fastTrackConfirmed
  // 6: the state keeps each incident (第十八条) with its decision; the document shows them
  // 7: the acceptance keeps a missed due date and whether it was on time (第二十一条)
  // 8: `sharingReview` — the office's sharing review (第二十四条)
  // 9: releasedFen (InvestmentReleased), surplusOutstandingFen, the undated SURPLUS_RETURN obligation (第十九条)
  // 10: `evaluations` (第二十六条、第二十九条) for the department record (第二十九条)
  // 11: open obligations ASSET_REGISTRATION (第二十三条) and INCIDENT_DECISION (第十八条); `undatedKinds`
  //     (GET /deadlines?kind=…) and `inboxRoles` (GET /inbox reads only the projects its role acts on)
  // 12: `financeLibraryId` (财政投资项目库) from the registration
  // 13: `subStatus` — where the project stands within its status (待审批 / 已批复，待报送可研 …)
  // 14: `executedFen` (第十七条, the latest report's) and `surplusFen` beside releasedFen, for the funds sums
  // 15: `availableCommands`: what the state leaves to do (catalogue `accepts` and `ready`); the dashboard offers it
  // 16: the folded state keeps the documents uploaded to the project (DocumentUploaded)
  version: 16,
  collection: 'projects',
  indexes: [
    { fields: { status: 1, updatedAt: -1 } },
    // The portfolio's usual filter pair: page and total both come from the index.
    { fields: { status: 1, category: 1, updatedAt: -1 } },
    { fields: { category: 1 } },
    { fields: { departmentCode: 1, name: 1 } },
    { fields: { departments: 1 } },
    { fields: { planYear: 1 } },
    { fields: { overdue: 1 } },
    { fields: { nextDueOn: 1 } },
    { fields: { dueAcceptance: 1 } },
    { fields: { duePerformanceReport: 1 } },
    { fields: { dueRectification: 1 } },
    { fields: { overdueAcceptance: 1 } },
    { fields: { overduePerformanceReport: 1 } },
    { fields: { overdueRectification: 1 } },
    { fields: { rectificationCount: 1 } },
    { fields: { openRectifications: 1 } },
    { fields: { name: 1 } },
    { fields: { registeredAt: -1 } },
    { fields: { updatedAt: -1 } },
    { fields: { estimateFen: -1 } },
    { fields: { 'omEligibility.eligible': 1 } },
    { fields: { undatedKinds: 1 } },
    { fields: { inboxRoles: 1 } },
  ],
  route: (event) => {
    const id = projectIdOf(event);
    return id ? [id] : [];
  },
  evolve(doc, event) {
    // The stored event is what decide produced for this stream (the runner upcasts it first).
    const projectEvent = { type: event.type, data: event.data } as ProjectEvent;
    const state = fold(projectDecider, [projectEvent], doc?.state as ProjectState | undefined);
    const families = { ...((doc?.eventsByFamily as Record<string, number> | undefined) ?? {}) };
    const family = eventFamily(event.type);
    if (family) families[FAMILY_KEYS[family]] = (families[FAMILY_KEYS[family]] ?? 0) + 1;
    // Only what folds; the derived fields are computed once per batch by finalize.
    return {
      state,
      eventsByFamily: families,
      eventCount: ((doc?.eventCount as number | undefined) ?? 0) + 1,
      registeredAt: (doc?.registeredAt as string | undefined) ?? event.metadata.occurredAt,
      updatedAt: event.metadata.occurredAt,
      revision: event.revision,
      policy: decidedUnder(event) ?? doc?.policy ?? null,
      executed: executedAfter(doc?.executed as Executed | undefined, event),
    };
  },
  finalize: (doc) => toProjectDoc(doc.state as ProjectState, doc),
};

/** 第十七条 investment executed as the latest construction year's performance report states it. */
interface Executed {
  year: number;
  fen: number;
}

function executedAfter(previous: Executed | undefined, event: StoredEvent): Executed | null {
  if (event.type !== 'PerformanceReportSubmitted') return previous ?? null;
  const { year, investmentExecutedFen } = event.data as { year: number; investmentExecutedFen: number };
  return previous && previous.year > year ? previous : { year, fen: investmentExecutedFen };
}

function toProjectDoc(state: ProjectState, folded: DocBody): DocBody {
  const deadlines = deadlinesOf(state);
  const due = nextDueDates(state);
  const dueDates = Object.values(due).sort();
  const open = deadlines.filter((d) => d.open);
  const undated = undatedObligationsOf(state);
  const overdueKinds = [...new Set(deadlines.filter((d) => d.overdue).map((d) => d.kind))];
  const project = state.status === null ? null : state;
  const registration = project?.registration ?? null;
  const approved = project?.approved ?? null;
  const acceptance = project?.acceptance ?? null;
  const approvedEstimateFen = approved?.approvedEstimateFen ?? null;
  const adjustedFundsTotalFen = approved?.adjustedFundsTotalFen ?? 0;
  const departments = [
    registration?.departmentCode,
    registration?.crossDepartment?.leadDepartment,
    ...(registration?.crossDepartment?.participants ?? []),
  ].filter((d): d is string => typeof d === 'string');
  const rectifications = Object.values(project?.rectifications ?? {});
  return {
    projectId: project?.projectId ?? null,
    name: registration?.name ?? null,
    category: registration?.category ?? null,
    departmentCode: registration?.departmentCode ?? null,
    departments: [...new Set(departments)],
    crossDepartment: registration?.crossDepartment ?? null,
    planYear: registration?.planYear ?? null,
    status: state.status,
    /** where the project stands within its status (domain/project/sub-status.ts); null where none */
    subStatus: subStatusOf(state),
    estimateFen: registration?.estimateFen ?? null,
    approvedEstimateFen,
    currentTotalFen: approved?.currentTotalFen ?? null,
    adjustedFundsTotalFen,
    /** 第二十条: share of the approved total estimate moved by filed adjustments. */
    adjustedRatio: approvedEstimateFen ? adjustedFundsTotalFen / approvedEstimateFen : 0,
    implementingBody: project?.responsibility.implementingBody ?? null,
    responsiblePerson: project?.responsibility.responsiblePerson ?? null,
    supervisionUnit: project?.responsibility.supervisionUnit ?? null,
    supervisionRequired: approved?.supervisionRequired ?? false,
    fastTrack: (registration?.fastTrack ?? null) !== null,
    /** 财政投资项目库 id given at registration */
    financeLibraryId: registration?.financeLibraryId ?? null,
    /** 第六条: the office confirmed the fast track with the feasibility approval. */
    fastTrackConfirmed: project?.approval.fastTrackConfirmed ?? false,
    dates: {
      approvedOn: approved?.approvedOn ?? null,
      startedOn: project?.construction?.startedOn ?? null,
      completedOn: acceptance?.completedOn ?? null,
      acceptanceDueOn: acceptance?.dueOn ?? null,
      acceptedOn: acceptance?.acceptedOn ?? null,
      /** 第二十一条: a due date that passed unmet stays on record when an extension moves the due date */
      acceptanceMissedDueOn: acceptance?.missedDueOn ?? null,
    },
    /** as AcceptancePassed decided it; null until accepted */
    acceptedOnTime: acceptance?.acceptedOnTime ?? null,
    surplus: { surplusFen: acceptance?.surplusFen ?? 0, returnedFen: acceptance?.surplusReturnedFen ?? 0 },
    /** 第十九条 the investment finance has released so far, in tranches, within currentTotalFen. */
    /** the commands the state leaves something to do for (catalogue `accepts` and `ready`), any role */
    availableCommands: availableCommands(state),
    releasedFen: approved?.releasedFen ?? 0,
    /** 第十七条 executed investment of the latest performance report (0 before any) */
    executedFen: (folded.executed as Executed | null | undefined)?.fen ?? 0,
    /** 第十九条 surplus declared at completion (0 before) */
    surplusFen: acceptance?.surplusFen ?? 0,
    /** 第十九条 surplus declared at completion and not yet returned: an open obligation while > 0. */
    surplusOutstandingFen: surplusOutstandingOf(state),
    openObligations: [...open, ...undated],
    /** 第十八、十九、二十三条 the kinds of the open obligations without a due date (GET /deadlines?kind=…). */
    undatedKinds: [...new Set(undated.map((o) => o.kind))],
    /** The roles something awaits on this project now, whatever the date (GET /inbox). */
    inboxRoles: inboxRolesOf(state),
    overdueKinds,
    overdue: overdueKinds.length > 0,
    // Flat flags (indexable without scanning arrays) for the dashboard's overdue counts.
    overdueAcceptance: overdueKinds.includes('ACCEPTANCE'),
    overduePerformanceReport: overdueKinds.includes('PERFORMANCE_REPORT'),
    overdueRectification: overdueKinds.includes('RECTIFICATION'),
    // The earliest open due date, overall and per kind: /deadlines filters, sorts and pages on them.
    nextDueOn: dueDates[0] ?? null,
    dueAcceptance: due.ACCEPTANCE ?? null,
    duePerformanceReport: due.PERFORMANCE_REPORT ?? null,
    dueRectification: due.RECTIFICATION ?? null,
    rectifications,
    openRectifications: rectifications.filter((r) => r.status !== 'VERIFIED').length,
    rectificationCount: rectifications.length,
    compliance: project?.compliance.facts ?? null,
    sharingExemption: project?.compliance.sharingExemption ?? null,
    /** 第二十四条 the office's sharing review; null until reviewed. */
    sharingReview: project?.compliance.sharingReview ?? null,
    omEligibility: omEligibility(state),
    asset: project?.asset ?? null,
    /** 第十八条 every reported incident with the office's decision; the undecided ones are open obligations. */
    incidents: project?.oversight.incidentLog ?? [],
    openIncidents: (project?.oversight.incidentLog ?? []).filter((i) => i.decision === null).length,
    sanctions: {
      criticisms: project?.oversight.criticisms ?? 0,
      investmentDeferred: project?.oversight.investmentDeferred ?? false,
    },
    /** 第二十六条、第二十九条 the office's evaluations, in the order given. */
    evaluations: project?.evaluations ?? [],
    eventsByFamily: folded.eventsByFamily,
    eventCount: folded.eventCount,
    /** 第十七条 the latest report's executed investment, kept between events (executedFen shows it) */
    executed: folded.executed ?? null,
    registeredAt: folded.registeredAt,
    updatedAt: folded.updatedAt,
    revision: folded.revision,
    /** The policy of the project's latest decision and whether it had lapsed (第三十三条). */
    policy: folded.policy ?? null,
    state,
  };
}

import { IsoDate } from './calendar';
import {
  AcceptanceKeyContent,
  AcceptanceMaterial,
  AcceptanceMaterials,
  AdjustmentReason,
  AssetClass,
  Category,
  ComplianceFacts,
  CrossDepartment,
  DocumentFacts,
  DocumentKind,
  EvaluationGrade,
  EvaluationKind,
  FastTrack,
  IncidentDecision,
  IncidentKind,
  Nature,
  RecordedBasis,
  RecordedBy,
  RectificationSubject,
} from './project-values';
import { ProjectStatus } from './project-status';

export interface Event<Type extends string, Data> {
  type: Type;
  data: Data;
}

/**
 * Event data are self-contained facts: every value the decision fixed (approved estimate,
 * deadlines, running totals) is on the event so read models never re-apply a rule, and a
 * later policy can never change what was decided. Each carries its effective civil date.
 */
type E<Type extends string, Data> = Event<Type, Data & { projectId: string }>;
type Decision = { opinion: string };

export type ProjectRegistered = E<
  'ProjectRegistered',
  {
    name: string;
    category: Category;
    departmentCode: string;
    planYear: number;
    nature: Nature;
    estimateFen: number;
    basis: string;
    schedule: string;
    cloudResources: string;
    dataSharing: string;
    networkNeeds: string;
    omGuarantee: string;
    followsMasterPlan: boolean;
    crossDepartment: CrossDepartment | null;
    fastTrack: FastTrack | null;
    /** 财政投资项目库 id; absent when not given (and on events stored before version 2) */
    financeLibraryId?: string;
    registeredOn: IsoDate;
  }
>;
/** The uploaded file a submission's documentRef named; absent for a free-text reference (and on older events). */
type Submitted = { document?: DocumentFacts };
/** The uploaded files the acceptance materials named, by material; absent when none named one (and on older events). */
type MaterialFiles = { materialDocuments?: Partial<Record<AcceptanceMaterial, DocumentFacts>> };
export type ProposalSubmitted = E<'ProposalSubmitted', { documentRef: string; submittedOn: IsoDate } & Submitted>;
export type ProposalApproved = E<'ProposalApproved', Decision & { approvedOn: IsoDate }>;
export type ProposalRejected = E<'ProposalRejected', Decision & { rejectedOn: IsoDate }>;
export type FeasibilityStudySubmitted = E<
  'FeasibilityStudySubmitted',
  { documentRef: string; submittedOn: IsoDate; /** 第六条 proposal stage skipped */ fastTrack: boolean } & Submitted
>;
export type FeasibilityApproved = E<
  'FeasibilityApproved',
  Decision & {
    approvedOn: IsoDate;
    /** 第六条: the office confirms the fast track of a project that skipped the proposal (absent otherwise). */
    fastTrackConfirmed?: true;
    /** The fast track's evidence the office confirmed, when the registration carried one. */
    fastTrackEvidenceRef?: string;
  }
>;
export type FeasibilityRejected = E<'FeasibilityRejected', Decision & { rejectedOn: IsoDate }>;
export type PreliminaryDesignSubmitted = E<
  'PreliminaryDesignSubmitted',
  {
    documentRef: string;
    estimateFen: number;
    productSecurityStatement: string;
    /** 第十二条 密码应用方案: on every submission since version 2; absent on events stored before it */
    cryptoApplicationPlan?: string;
    submittedOn: IsoDate;
  } & Submitted
>;
export type PreliminaryDesignReviewed = E<
  'PreliminaryDesignReviewed',
  Decision & { passed: boolean; verifiedEstimateFen: number; reviewedOn: IsoDate }
>;
export type PreliminaryDesignApproved = E<
  'PreliminaryDesignApproved',
  Decision & {
    approvedEstimateFen: number;
    approvedOn: IsoDate;
    supervisionRequired: boolean;
    adjustmentCeilingFen: number;
  }
>;
export type PreliminaryDesignRejected = E<'PreliminaryDesignRejected', Decision & { rejectedOn: IsoDate }>;
export type ResponsibilityAssigned = E<
  'ResponsibilityAssigned',
  { implementingBody: string; responsiblePerson: string }
>;
export type SupervisionUnitEngaged = E<'SupervisionUnitEngaged', { supervisionUnit: string; contractRef: string }>;
export type ConstructionStarted = E<
  'ConstructionStarted',
  { startedOn: IsoDate; approvedEstimateFen: number; supervisionRequired: boolean; performanceReportDueOn: IsoDate }
>;
export type PerformanceReportSubmitted = E<
  'PerformanceReportSubmitted',
  {
    year: number;
    progressPercent: number;
    investmentExecutedFen: number;
    userOpinions: string;
    supervisionOpinion: string | null;
    trialRunNotes: string | null;
    dueOn: IsoDate;
    late: boolean;
    submittedOn: IsoDate;
  }
>;
export type IncidentReported = E<
  'IncidentReported',
  {
    /** Absent on events stored before incidents had ids: the fold names them `incident-<n>`. */
    incidentId?: string;
    kind: IncidentKind;
    description: string;
    reportedOn: IsoDate;
  }
>;
/** 第十八条 the office's decision on a reported incident (a SUSPEND decision comes with ProjectSuspended). */
export type IncidentDecided = E<
  'IncidentDecided',
  Decision & { incidentId: string; decision: IncidentDecision; decidedOn: IsoDate }
>;
/** 第二十六条 application effect, 第二十九条 post-evaluation: the office's grade and opinion. */
export type ProjectEvaluated = E<
  'ProjectEvaluated',
  Decision & { kind: EvaluationKind; grade: EvaluationGrade; evaluatedOn: IsoDate }
>;
export type AdjustmentFiled = E<
  'AdjustmentFiled',
  {
    reason: AdjustmentReason;
    amountFen: number;
    previousTotalFen: number;
    newTotalFen: number;
    objectivesUnchanged: true;
    description: string;
    approvedEstimateFen: number;
    /** running total of funds moved, this filing included (第二十条) */
    adjustedFundsTotalFen: number;
    adjustmentCeilingFen: number;
    filedOn: IsoDate;
  }
>;
export type ConstructionCompleted = E<
  'ConstructionCompleted',
  { completedOn: IsoDate; surplusFen: number; totalFen: number; acceptanceDueOn: IsoDate }
>;
export type SurplusFundsReturned = E<
  'SurplusFundsReturned',
  { amountFen: number; returnedTotalFen: number; outstandingSurplusFen: number; returnedOn: IsoDate }
>;
/** 第八条, 第十九条 a tranche of the approved investment released by finance; the tranches add up. */
export type InvestmentReleased = E<
  'InvestmentReleased',
  { amountFen: number; documentRef: string; releasedOn: IsoDate; releasedTotalFen: number; approvedTotalFen: number }
>;
export type AcceptancePlanAgreed = E<
  'AcceptancePlanAgreed',
  { method: string; experts: string[]; materials: string[]; agreedOn: IsoDate }
>;
export type ArchiveAcceptanceRecorded = E<
  'ArchiveAcceptanceRecorded',
  Decision & { passed: boolean; recordedOn: IsoDate }
>;
export type AcceptanceExtensionRequested = E<
  'AcceptanceExtensionRequested',
  { until: IsoDate; reason: string; currentDueOn: IsoDate; requestedOn: IsoDate }
>;
export type AcceptanceExtensionGranted = E<
  'AcceptanceExtensionGranted',
  Decision & { until: IsoDate; previousDueOn: IsoDate; acceptanceDueOn: IsoDate; grantedOn: IsoDate }
>;
export type AcceptancePassed = E<
  'AcceptancePassed',
  Decision & {
    materials: AcceptanceMaterials;
    /** 第十三条; absent on events stored before version 2 */
    keyContent?: AcceptanceKeyContent;
    acceptedOn: IsoDate;
    acceptanceDueOn: IsoDate;
    /** 第二十一条: by the due date, and no earlier due date passed unmet */
    onTime: boolean;
    /** the first due date that passed unmet (then onTime is false); absent before version 2 */
    missedDueOn?: IsoDate | null;
  } & MaterialFiles
>;
export type AcceptanceFailed = E<
  'AcceptanceFailed',
  Decision & {
    materials: Partial<AcceptanceMaterials>;
    missingMaterials: AcceptanceMaterial[];
    /** 第十三条, as the construction unit recorded it; absent on events stored before version 2 */
    keyContent?: Partial<AcceptanceKeyContent>;
    archiveAcceptancePassed: boolean;
    /** 第二十一条: 未通过验收的项目不得拨付相关财政资金 */
    fundsBlocked: true;
    failedOn: IsoDate;
  } & MaterialFiles
>;
export type AssetRegistered = E<
  'AssetRegistered',
  {
    assetClass: AssetClass;
    costFen: number;
    /** 第二十三条: the actual cost the asset may not exceed; absent on events stored before version 2 */
    actualCostFen?: number;
    registeredOn: IsoDate;
  }
>;
export type ComplianceRecorded = E<
  'ComplianceRecorded',
  ComplianceFacts & { recordedOn: IsoDate; recordedBy: RecordedBy; omEligible: boolean; omReasonCodes: string[] }
>;
export type SharingExemptionGranted = E<
  'SharingExemptionGranted',
  { reason: string; grantedOn: IsoDate; grantedBy: RecordedBy }
>;
export type SharingReviewed = E<'SharingReviewed', { shareable: boolean; opinion: string; reviewedOn: IsoDate }>;
export type RectificationOrdered = E<
  'RectificationOrdered',
  {
    rectificationId: string;
    findings: string[];
    deadline: IsoDate;
    article: string;
    /** 第二十七条 what the order is about; absent on older events and when not named. */
    subject?: RectificationSubject;
    orderedBy: RecordedBy;
    orderedOn: IsoDate;
  }
>;
export type RectificationSubmitted = E<
  'RectificationSubmitted',
  {
    rectificationId: string;
    report: string;
    submittedOn: IsoDate;
    late: boolean;
    /** The report's file, when one was named (absent on reports stored before documents) */
    documentRef?: string;
  } & Submitted
>;
/**
 * 项目文件已上传: a file of the project was stored, content-addressed by its digest. Who uploaded
 * it and which bytes, so a later submission naming it proves which file was decided on.
 */
export type DocumentUploaded = E<
  'DocumentUploaded',
  {
    documentId: string;
    kind: DocumentKind;
    name: string;
    size: number;
    sha256: string;
    contentType: string;
    uploadedBy: RecordedBy;
    uploadedOn: IsoDate;
  }
>;
export type RectificationVerified = E<
  'RectificationVerified',
  Decision & { rectificationId: string; verifiedOn: IsoDate }
>;
export type RectificationRejected = E<
  'RectificationRejected',
  Decision & { rectificationId: string; rejectedOn: IsoDate; deadline: IsoDate }
>;
export type ProjectCriticized = E<
  'ProjectCriticized',
  { reason: string; criticismCount: number; criticizedOn: IsoDate; basis?: RecordedBasis }
>;
/** `basis` (第二十七条) is on every sanction decided since sanctions name one; absent on older events. */
export type InvestmentDeferred = E<
  'InvestmentDeferred',
  { reason: string; deferredOn: IsoDate; basis?: RecordedBasis }
>;
export type ProjectSuspended = E<
  'ProjectSuspended',
  { reason: string; previousStatus: ProjectStatus; suspendedOn: IsoDate; basis?: RecordedBasis }
>;
export type ProjectResumed = E<'ProjectResumed', { reason: string; resumedStatus: ProjectStatus; resumedOn: IsoDate }>;
export type ProjectTerminated = E<
  'ProjectTerminated',
  { reason: string; previousStatus: ProjectStatus; terminatedOn: IsoDate; basis?: RecordedBasis }
>;
export type AcceptanceOverdue = E<
  'AcceptanceOverdue',
  { completedOn: IsoDate; acceptanceDueOn: IsoDate; detectedOn: IsoDate }
>;
export type PerformanceReportOverdue = E<
  'PerformanceReportOverdue',
  { year: number; dueOn: IsoDate; detectedOn: IsoDate }
>;
export type RectificationOverdue = E<
  'RectificationOverdue',
  { rectificationId: string; deadline: IsoDate; detectedOn: IsoDate }
>;

export type ProjectEvent =
  | ProjectRegistered
  | ProposalSubmitted
  | ProposalApproved
  | ProposalRejected
  | FeasibilityStudySubmitted
  | FeasibilityApproved
  | FeasibilityRejected
  | PreliminaryDesignSubmitted
  | PreliminaryDesignReviewed
  | PreliminaryDesignApproved
  | PreliminaryDesignRejected
  | ResponsibilityAssigned
  | SupervisionUnitEngaged
  | ConstructionStarted
  | PerformanceReportSubmitted
  | IncidentReported
  | AdjustmentFiled
  | ConstructionCompleted
  | SurplusFundsReturned
  | InvestmentReleased
  | AcceptancePlanAgreed
  | ArchiveAcceptanceRecorded
  | AcceptanceExtensionRequested
  | AcceptanceExtensionGranted
  | AcceptancePassed
  | AcceptanceFailed
  | AssetRegistered
  | ComplianceRecorded
  | SharingExemptionGranted
  | SharingReviewed
  | RectificationOrdered
  | RectificationSubmitted
  | DocumentUploaded
  | RectificationVerified
  | RectificationRejected
  | ProjectCriticized
  | InvestmentDeferred
  | ProjectSuspended
  | ProjectResumed
  | ProjectTerminated
  | IncidentDecided
  | ProjectEvaluated
  | AcceptanceOverdue
  | PerformanceReportOverdue
  | RectificationOverdue;

export type ProjectEventType = ProjectEvent['type'];
export type ProjectEventOf<T extends ProjectEventType> = Extract<ProjectEvent, { type: T }>;

/** What decide returns: the event plus the envelope facts of the decision. */
export type Decided<E> = E & {
  /** e.g. "第二十条" or "第八条、第十条" */
  article?: string;
  /** policy id, e.g. 'ordos-2020' */
  policy: string;
  /** present and true only when decided after the policy's end (see policy.ts) */
  policyLapsed?: boolean;
};

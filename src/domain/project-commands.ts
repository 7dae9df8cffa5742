import { IsoDate } from './calendar';
import {
  AcceptanceKeyContent,
  AcceptanceMaterials,
  AdjustmentReason,
  AssetClass,
  BannedSystem,
  Category,
  ComplianceFacts,
  CrossDepartmentPart,
  DocumentKind,
  EvaluationGrade,
  EvaluationKind,
  FastTrack,
  FrameworkFacts,
  IncidentDecision,
  IncidentKind,
  Nature,
  RectificationSubject,
  SanctionBasis,
} from './project-values';
import { Actor } from './roles';

/** Time and actor travel on the command so that decide stays deterministic. */
export interface CommandMetadata {
  /** ISO instant from the server clock. */
  now: string;
  actor: Actor;
}

export interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

type P<Type extends string, Data = unknown> = Command<Type, Data & { projectId: string }>;
type Opinion = { opinion: string };
type Reason = { reason: string };

export type RegisterProject = P<
  'RegisterProject',
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
    crossDepartment?: CrossDepartmentPart | null;
    fastTrack?: FastTrack | null;
    /** 财政投资项目库 the project's id in finance's investment project library, when it has one */
    financeLibraryId?: string;
    /**
     * Facts of other streams, supplied by the application layer when the command runs: the
     * department's systems under the construction ban of 第二十四条 (一)(三).
     */
    underBan?: BannedSystem[];
    /**
     * 第七条 the facts of the framework crossDepartment names, supplied by the application layer
     * (another aggregate's stream); null when there is none, absent when not looked up.
     */
    framework?: FrameworkFacts | null;
  }
>;
export type SubmitProposal = P<'SubmitProposal', { documentRef: string }>;
export type ApproveProposal = P<'ApproveProposal', Opinion>;
export type RejectProposal = P<'RejectProposal', Opinion>;
export type SubmitFeasibilityStudy = P<'SubmitFeasibilityStudy', { documentRef: string }>;
export type ApproveFeasibility = P<'ApproveFeasibility', Opinion>;
export type RejectFeasibility = P<'RejectFeasibility', Opinion>;
export type SubmitPreliminaryDesign = P<
  'SubmitPreliminaryDesign',
  {
    documentRef: string;
    estimateFen: number;
    productSecurityStatement: string;
    /** 第十二条 密码应用方案 (document ref), planned with the project */
    cryptoApplicationPlan: string;
  }
>;
export type ReviewPreliminaryDesign = P<
  'ReviewPreliminaryDesign',
  { passed: boolean; verifiedEstimateFen: number; opinion: string }
>;
export type ApprovePreliminaryDesign = P<'ApprovePreliminaryDesign', { opinion: string; approvedEstimateFen: number }>;
export type RejectPreliminaryDesign = P<'RejectPreliminaryDesign', Opinion>;
export type AssignResponsibility = P<'AssignResponsibility', { implementingBody: string; responsiblePerson: string }>;
export type EngageSupervisionUnit = P<'EngageSupervisionUnit', { supervisionUnit: string; contractRef: string }>;
export type StartConstruction = P<
  'StartConstruction',
  {
    startedOn: IsoDate;
    /**
     * Facts of other streams, supplied by the application layer when the command runs: the
     * department's systems under the construction ban of 第二十四条 (一)(三).
     */
    underBan?: BannedSystem[];
  }
>;
export type SubmitPerformanceReport = P<
  'SubmitPerformanceReport',
  {
    year: number;
    progressPercent: number;
    investmentExecutedFen: number;
    userOpinions: string;
    supervisionOpinion?: string | null;
    trialRunNotes?: string | null;
  }
>;
export type ReportIncident = P<'ReportIncident', { incidentId: string; kind: IncidentKind; description: string }>;
export type FileAdjustment = P<
  'FileAdjustment',
  {
    reason: AdjustmentReason;
    amountFen: number;
    newTotalFen: number;
    objectivesUnchanged: boolean;
    description: string;
    /**
     * Facts of other streams, supplied by the application layer when the command runs: the
     * department's systems under the construction ban of 第二十四条 (一)(三).
     */
    underBan?: BannedSystem[];
  }
>;
export type CompleteConstruction = P<'CompleteConstruction', { completedOn: IsoDate; surplusFen: number }>;
export type ReturnSurplusFunds = P<'ReturnSurplusFunds', { amountFen: number }>;
export type ReleaseInvestment = P<
  'ReleaseInvestment',
  {
    amountFen: number;
    documentRef: string;
    /**
     * Facts of the annual plan's stream (another aggregate), supplied by the application layer:
     * finance's budget feedback on the project in its plan year, null when none was recorded (第五条).
     */
    budget?: { planYear: number; inBudget: boolean | null };
  }
>;
export type AgreeAcceptancePlan = P<'AgreeAcceptancePlan', { method: string; experts: string[]; materials: string[] }>;
export type RecordArchiveAcceptance = P<'RecordArchiveAcceptance', { passed: boolean; opinion: string }>;
export type RequestAcceptanceExtension = P<'RequestAcceptanceExtension', { until: IsoDate; reason: string }>;
export type GrantAcceptanceExtension = P<'GrantAcceptanceExtension', Opinion>;
export type RecordAcceptance = P<
  'RecordAcceptance',
  {
    passed: boolean;
    opinion: string;
    materials: Partial<AcceptanceMaterials>;
    /** 第十三条: what the acceptance found on its key content; complete for a pass */
    keyContent: Partial<AcceptanceKeyContent>;
  }
>;
export type RegisterAsset = P<'RegisterAsset', { assetClass: AssetClass; costFen: number }>;
export type RecordCompliance = P<'RecordCompliance', ComplianceFacts>;
export type GrantSharingExemption = P<'GrantSharingExemption', Reason>;
/** 第二十四条 the office's review of the project's information sharing. */
export type ReviewSharing = P<'ReviewSharing', { shareable: boolean; opinion: string }>;
export type OrderRectification = P<
  'OrderRectification',
  { rectificationId: string; findings: string[]; deadline: IsoDate; article: string; subject?: RectificationSubject }
>;
export type SubmitRectification = P<
  'SubmitRectification',
  {
    rectificationId: string;
    report: string;
    /** the report's file: an uploaded document's id or a reference */ documentRef?: string;
  }
>;
/**
 * Records a stored file of the project (项目文件): the upload route stores the bytes first
 * (content-addressed), then this command records what was stored and by whom.
 */
export type RecordDocumentUpload = P<
  'RecordDocumentUpload',
  { documentId: string; kind: DocumentKind; name: string; size: number; sha256: string; contentType: string }
>;
export type VerifyRectification = P<
  'VerifyRectification',
  { rectificationId: string; passed: boolean; opinion: string }
>;
/** The basis is the decision's to check (第二十七条): absent, the sanction is refused 422. */
type Sanction = Reason & { basis?: SanctionBasis };
export type CriticizeProject = P<'CriticizeProject', Sanction>;
export type DeferInvestment = P<'DeferInvestment', Sanction>;
export type SuspendProject = P<'SuspendProject', Sanction>;
export type ResumeProject = P<'ResumeProject', Reason>;
export type TerminateProject = P<'TerminateProject', Sanction>;
export type DecideIncident = P<'DecideIncident', { incidentId: string; decision: IncidentDecision; opinion: string }>;
export type EvaluateProject = P<'EvaluateProject', { kind: EvaluationKind; grade: EvaluationGrade; opinion: string }>;
export type MarkAcceptanceOverdue = P<'MarkAcceptanceOverdue'>;
export type MarkPerformanceReportOverdue = P<'MarkPerformanceReportOverdue', { year: number }>;
export type MarkRectificationOverdue = P<'MarkRectificationOverdue', { rectificationId: string }>;

export type ProjectCommand =
  | RegisterProject
  | SubmitProposal
  | ApproveProposal
  | RejectProposal
  | SubmitFeasibilityStudy
  | ApproveFeasibility
  | RejectFeasibility
  | SubmitPreliminaryDesign
  | ReviewPreliminaryDesign
  | ApprovePreliminaryDesign
  | RejectPreliminaryDesign
  | AssignResponsibility
  | EngageSupervisionUnit
  | StartConstruction
  | SubmitPerformanceReport
  | ReportIncident
  | FileAdjustment
  | CompleteConstruction
  | ReturnSurplusFunds
  | ReleaseInvestment
  | AgreeAcceptancePlan
  | RecordArchiveAcceptance
  | RequestAcceptanceExtension
  | GrantAcceptanceExtension
  | RecordAcceptance
  | RegisterAsset
  | RecordCompliance
  | GrantSharingExemption
  | ReviewSharing
  | OrderRectification
  | SubmitRectification
  | RecordDocumentUpload
  | VerifyRectification
  | CriticizeProject
  | DeferInvestment
  | SuspendProject
  | ResumeProject
  | TerminateProject
  | DecideIncident
  | EvaluateProject
  | MarkAcceptanceOverdue
  | MarkPerformanceReportOverdue
  | MarkRectificationOverdue;

export type ProjectCommandType = ProjectCommand['type'];
export type ProjectCommandOf<T extends ProjectCommandType> = Extract<ProjectCommand, { type: T }>;

import { IsoDate } from '../calendar';
import {
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
  RectificationSubject,
} from '../project-values';
import { ApprovalStage, ProjectStatus } from '../project-status';

export type RectificationStatus =
  | 'OPEN' // 待整改
  | 'SUBMITTED' // 已报送整改报告
  | 'REJECTED' // 整改不合格, must report again
  | 'VERIFIED'; // 整改已核验

export interface Rectification {
  rectificationId: string;
  findings: string[];
  deadline: IsoDate;
  article: string;
  orderedByRole: string;
  /** 第二十七条 what the order is about; null when not named (and on orders stored before subjects). */
  subject: RectificationSubject | null;
  status: RectificationStatus;
  overdueMarked: boolean;
}

/** 第十八条 a reported serious delay or major loss, open until the office decides on it. */
export interface Incident {
  incidentId: string;
  kind: IncidentKind;
  reportedOn: IsoDate;
  decision: IncidentDecision | null;
  decidedOn: IsoDate | null;
}

/** 第二十六条、第二十九条 one evaluation by the office, in the order given. */
export interface Evaluation {
  kind: EvaluationKind;
  grade: EvaluationGrade;
  opinion: string;
  evaluatedOn: IsoDate;
}

/** 项目计划 as registered (第五条, 第九条): fixed once, by ProjectRegistered. */
export interface Registration {
  name: string;
  category: Category;
  departmentCode: string;
  /** 第五条 项目性质 */
  nature: Nature;
  crossDepartment: CrossDepartment | null;
  planYear: number;
  estimateFen: number;
  fastTrack: FastTrack | null;
  /** 财政投资项目库 id, when given at registration */
  financeLibraryId?: string;
}

/** The approval stages (第六条, 第八条) as far as they have gone. */
export interface ApprovalProgress {
  /** Within PROPOSAL/FEASIBILITY/PRELIMINARY_DESIGN: submitted (false) or approved (true). */
  stageApproved: boolean;
  rejectedStage: ApprovalStage | null;
  /** 第六条: the proposal stage was skipped on the fast track. */
  skippedProposal: boolean;
  /** 第六条: the office confirmed the fast track when it approved the feasibility study. */
  fastTrackConfirmed?: boolean;
  /** The last preliminary design submitted, with its review and pricing once held. */
  design: { estimateFen: number; review: { passed: boolean; verifiedEstimateFen: number } | null } | null;
}

/**
 * 初步设计方案和投资概算已批复 (第八条): the approved estimate and what the decision derived,
 * then the total after each filed adjustment (第二十条).
 */
export interface ApprovedDesign {
  approvedOn: IsoDate;
  approvedEstimateFen: number;
  supervisionRequired: boolean;
  adjustmentCeilingFen: number;
  currentTotalFen: number;
  adjustedFundsTotalFen: number;
  /** 第十九条 the investment released so far (InvestmentReleased); absent before the first tranche. */
  releasedFen?: number;
}

/** 第十条 implementing body and responsible person, 第十六条 supervision unit: named any time before completion. */
export interface Responsibility {
  implementingBody: string | null;
  responsiblePerson: string | null;
  supervisionUnit: string | null;
}

/** From ConstructionStarted: the construction years and their performance reports (第十七条). */
export interface Construction {
  startedOn: IsoDate;
  reportedYears: number[];
  overdueReportYears: number[];
}

/** From ConstructionCompleted (第十九条, 第二十一条): surplus and the acceptance of the built system. */
export interface Acceptance {
  completedOn: IsoDate;
  surplusFen: number;
  surplusReturnedFen: number;
  dueOn: IsoDate;
  extended: boolean;
  pendingExtension: { until: IsoDate; reason: string } | null;
  overdueMarkedFor: IsoDate | null;
  /**
   * 第二十一条: the first due date that passed with the acceptance still open — marked overdue by
   * the watcher, or replaced by an extension granted only after it. Never cleared: an acceptance
   * after a missed deadline stays late even when a later extension covers its date.
   */
  missedDueOn: IsoDate | null;
  planAgreed: boolean;
  archivePassed: boolean | null;
  failures: number;
  acceptedOn: IsoDate | null;
  /** as AcceptancePassed decided it (第二十一条); null until accepted */
  acceptedOnTime: boolean | null;
}

/** 第二十四条 facts as last recorded, and the city government's exemption. */
export interface ComplianceRecord {
  facts: ComplianceFacts | null;
  sharingExemption: { reason: string; grantedOn: IsoDate } | null;
  /** 第二十四条 the office's last sharing review; null until reviewed (and on projects reviewed before the rule). */
  sharingReview: { shareable: boolean; opinion: string; reviewedOn: IsoDate } | null;
}

/** 第十八条, 第二十七条, 第三十条 */
export interface OversightRecord {
  incidents: number;
  /** Every reported incident in the order reported, with the office's decision once taken. */
  incidentLog: Incident[];
  criticisms: number;
  investmentDeferred: boolean;
}

/** Not in the catalogue (第九条): nothing but the absence is known. */
export interface UnregisteredProject {
  status: null;
}

export interface RegisteredProject {
  status: ProjectStatus;
  /** Set while SUSPENDED: where ResumeProject returns. */
  statusBeforeSuspension: ProjectStatus | null;
  projectId: string;
  registration: Registration;
  approval: ApprovalProgress;
  /** null until the preliminary design is approved */
  approved: ApprovedDesign | null;
  responsibility: Responsibility;
  /** null until construction starts */
  construction: Construction | null;
  /** null until construction is completed */
  acceptance: Acceptance | null;
  /** 第二十三条: null until registered */
  asset: { assetClass: AssetClass; costFen: number } | null;
  compliance: ComplianceRecord;
  rectifications: Record<string, Rectification>;
  oversight: OversightRecord;
  /** 第二十六条、第二十九条 every evaluation, in the order given. */
  evaluations: Evaluation[];
  /** Every uploaded file of the project (DocumentUploaded), by documentId. */
  documents: Record<string, UploadedDocument>;
}

/** An uploaded file as its DocumentUploaded recorded it. */
export interface UploadedDocument extends DocumentFacts {
  kind: DocumentKind;
}

export type ProjectState = UnregisteredProject | RegisteredProject;

export function initialProjectState(): ProjectState {
  return { status: null };
}

export function isRegistered(state: ProjectState): state is RegisteredProject {
  return state.status !== null;
}

/** The registration, or null before it: for consumers that read one field. */
export function registrationOf(state: ProjectState): Registration | null {
  return state.status === null ? null : state.registration;
}

/** The department that files for the project (第三条), or null before registration. */
export function departmentOf(state: ProjectState): string | null {
  return state.status === null ? null : state.registration.departmentCode;
}

/** The status that counts for obligations: a suspended project keeps the one it had. */
export function effectiveStatus(state: ProjectState): ProjectStatus | null {
  return state.status === 'SUSPENDED' ? state.statusBeforeSuspension : state.status;
}

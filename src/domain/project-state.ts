import { IsoDate } from './calendar';
import { AssetClass, Category, ComplianceFacts, CrossDepartment, FastTrack } from './project-values';
import { ApprovalStage, ProjectStatus } from './project-status';

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
  status: RectificationStatus;
  overdueMarked: boolean;
}

export interface ProjectState {
  /** null until ProjectRegistered: the project is not in the catalogue (第九条). */
  status: ProjectStatus | null;
  projectId: string | null;
  name: string | null;
  category: Category | null;
  departmentCode: string | null;
  crossDepartment: CrossDepartment | null;
  planYear: number | null;
  estimateFen: number | null;
  fastTrack: FastTrack | null;
  /** 第六条: the proposal stage was skipped on the fast track. */
  skippedProposal: boolean;
  /** Within PROPOSAL/FEASIBILITY/PRELIMINARY_DESIGN: submitted (false) or approved (true). */
  stageApproved: boolean;
  rejectedStage: ApprovalStage | null;
  statusBeforeSuspension: ProjectStatus | null;
  designEstimateFen: number | null;
  designReview: { passed: boolean; verifiedEstimateFen: number } | null;
  approvedEstimateFen: number | null;
  approvedOn: IsoDate | null;
  adjustmentCeilingFen: number | null;
  implementingBody: string | null;
  responsiblePerson: string | null;
  supervisionUnit: string | null;
  supervisionRequired: boolean;
  startedOn: IsoDate | null;
  /** The approved estimate, then the total after each filed adjustment (第二十条). */
  currentTotalFen: number | null;
  adjustedFundsTotalFen: number;
  reportedYears: number[];
  overdueReportYears: number[];
  incidents: number;
  completedOn: IsoDate | null;
  surplusFen: number;
  surplusReturnedFen: number;
  acceptanceDueOn: IsoDate | null;
  acceptanceExtended: boolean;
  pendingExtension: { until: IsoDate; reason: string } | null;
  acceptanceOverdueMarkedFor: IsoDate | null;
  acceptancePlanAgreed: boolean;
  archiveAcceptancePassed: boolean | null;
  acceptanceFailures: number;
  acceptedOn: IsoDate | null;
  asset: { assetClass: AssetClass; costFen: number } | null;
  compliance: ComplianceFacts | null;
  sharingExemption: { reason: string; grantedOn: IsoDate } | null;
  rectifications: Record<string, Rectification>;
  criticisms: number;
  investmentDeferred: boolean;
}

export function initialProjectState(): ProjectState {
  return {
    status: null,
    projectId: null,
    name: null,
    category: null,
    departmentCode: null,
    crossDepartment: null,
    planYear: null,
    estimateFen: null,
    fastTrack: null,
    skippedProposal: false,
    stageApproved: false,
    rejectedStage: null,
    statusBeforeSuspension: null,
    designEstimateFen: null,
    designReview: null,
    approvedEstimateFen: null,
    approvedOn: null,
    adjustmentCeilingFen: null,
    implementingBody: null,
    responsiblePerson: null,
    supervisionUnit: null,
    supervisionRequired: false,
    startedOn: null,
    currentTotalFen: null,
    adjustedFundsTotalFen: 0,
    reportedYears: [],
    overdueReportYears: [],
    incidents: 0,
    completedOn: null,
    surplusFen: 0,
    surplusReturnedFen: 0,
    acceptanceDueOn: null,
    acceptanceExtended: false,
    pendingExtension: null,
    acceptanceOverdueMarkedFor: null,
    acceptancePlanAgreed: false,
    archiveAcceptancePassed: null,
    acceptanceFailures: 0,
    acceptedOn: null,
    asset: null,
    compliance: null,
    sharingExemption: null,
    rectifications: {},
    criticisms: 0,
    investmentDeferred: false,
  };
}

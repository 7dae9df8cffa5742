import { AnnualPlanCommandType, AnnualPlanEvent, AnnualPlanEventType } from './annual-plan-types';
import { ProjectCommandType } from './project-commands';
import { ProjectEvent, ProjectEventType } from './project-events';
import { Role } from './roles';
import type { RuleCode } from './rules';

export type EventType = ProjectEventType | AnnualPlanEventType;
export type CommandType = ProjectCommandType | AnnualPlanCommandType;

/** API.md event families, for history, filters and subscribers. */
export type Family = '立项' | '批复' | '建设' | '调整备案' | '验收' | '整改';
export const FAMILIES: readonly Family[] = ['立项', '批复', '建设', '调整备案', '验收', '整改'];

export interface EventInfo {
  label: string;
  family: Family;
  article?: string;
}

/** One table: Chinese label, family and the article a decision of that type rests on. */
export const EVENT_CATALOGUE: Record<EventType, EventInfo> = {
  ProjectRegistered: { label: '项目计划已登记', family: '立项', article: '第二条、第五条、第九条' },
  ProposalSubmitted: { label: '项目建议书已报送', family: '立项', article: '第六条' },
  FeasibilityStudySubmitted: { label: '可行性研究报告已报送', family: '立项', article: '第六条、第八条' },
  PreliminaryDesignSubmitted: { label: '初步设计方案和投资概算已报送', family: '立项', article: '第八条、第十三条' },
  ProjectIncludedInPlan: { label: '项目已纳入年度建设计划', family: '立项', article: '第五条' },
  AnnualPlanAdopted: { label: '年度建设计划已通过', family: '立项', article: '第五条' },
  BudgetFeedbackRecorded: { label: '预算反馈及控制数已下达', family: '立项', article: '第五条' },
  ProposalApproved: { label: '项目建议书已批复', family: '批复', article: '第六条' },
  ProposalRejected: { label: '项目建议书未获批复', family: '批复', article: '第六条' },
  FeasibilityApproved: { label: '可行性研究报告已批复', family: '批复', article: '第八条' },
  FeasibilityRejected: { label: '可行性研究报告未获批复', family: '批复', article: '第八条' },
  PreliminaryDesignReviewed: { label: '初步设计已评审核价', family: '批复', article: '第八条' },
  PreliminaryDesignApproved: { label: '初步设计已批复', family: '批复', article: '第八条' },
  PreliminaryDesignRejected: { label: '初步设计未获批复', family: '批复', article: '第八条' },
  ResponsibilityAssigned: { label: '项目实施机构和责任人已确定', family: '建设', article: '第十条' },
  SupervisionUnitEngaged: { label: '工程监理单位已委托', family: '建设', article: '第十六条' },
  ConstructionStarted: { label: '项目已开工', family: '建设', article: '第八条、第十条、第十六条' },
  PerformanceReportSubmitted: { label: '绩效评价报告已提交', family: '建设', article: '第十七条' },
  IncidentReported: { label: '重大问题已报告', family: '建设', article: '第十八条' },
  ConstructionCompleted: { label: '项目已建成', family: '建设', article: '第十九条、第二十一条' },
  SurplusFundsReturned: { label: '结余资金已退回财政', family: '建设', article: '第十九条' },
  ComplianceRecorded: { label: '合规情况已记录', family: '建设', article: '第十一条、第十二条、第二十四条、第二十七条' },
  SharingExemptionGranted: { label: '市人民政府已批准保留', family: '建设', article: '第二十四条' },
  PerformanceReportOverdue: { label: '绩效评价报告逾期', family: '建设', article: '第十七条' },
  AdjustmentFiled: { label: '调整已备案', family: '调整备案', article: '第二十条' },
  AcceptancePlanAgreed: { label: '验收方案已确定', family: '验收', article: '第二十一条' },
  ArchiveAcceptanceRecorded: { label: '档案验收已记录', family: '验收', article: '第二十二条' },
  AcceptanceExtensionRequested: { label: '已申请延期验收', family: '验收', article: '第二十一条' },
  AcceptanceExtensionGranted: { label: '延期验收已同意', family: '验收', article: '第二十一条' },
  AcceptancePassed: { label: '项目验收通过', family: '验收', article: '第十三条、第二十一条、第二十二条' },
  AcceptanceFailed: { label: '项目验收未通过', family: '验收', article: '第二十一条、第二十二条' },
  AssetRegistered: { label: '资产已登记', family: '验收', article: '第二十三条' },
  AcceptanceOverdue: { label: '验收逾期', family: '验收', article: '第二十一条' },
  RectificationOrdered: { label: '已责令限期整改', family: '整改', article: '第二十七条' },
  RectificationSubmitted: { label: '整改报告已报送', family: '整改', article: '第二十七条' },
  RectificationVerified: { label: '整改已核验通过', family: '整改', article: '第二十七条' },
  RectificationRejected: { label: '整改核验未通过', family: '整改', article: '第二十七条' },
  RectificationOverdue: { label: '整改逾期', family: '整改', article: '第二十七条' },
  ProjectCriticized: { label: '通报批评', family: '整改', article: '第二十七条、第三十条' },
  InvestmentDeferred: { label: '暂缓安排投资计划', family: '整改', article: '第二十七条' },
  ProjectSuspended: { label: '暂停项目建设', family: '整改', article: '第十八条、第二十七条' },
  ProjectResumed: { label: '恢复项目建设', family: '整改', article: '第十八条、第二十七条' },
  ProjectTerminated: { label: '项目已终止', family: '整改', article: '第二十七条' },
};

export function eventFamily(type: string): Family | undefined {
  return (EVENT_CATALOGUE as Record<string, EventInfo | undefined>)[type]?.family;
}

export function eventLabel(type: string): string | undefined {
  return (EVENT_CATALOGUE as Record<string, EventInfo | undefined>)[type]?.label;
}

/** The article recorded on a decision: the catalogue's, refined where the facts add one. */
export function decisionArticle(event: ProjectEvent | AnnualPlanEvent): string | undefined {
  const base = EVENT_CATALOGUE[event.type].article;
  if (event.type === 'ProjectRegistered') {
    const extra = [event.data.fastTrack ? '第六条' : null, event.data.crossDepartment ? '第七条' : null].filter(Boolean);
    return extra.length === 0 ? base : ['第二条', '第五条', ...extra, '第九条'].join('、');
  }
  if (event.type === 'RectificationOrdered' && event.data.article && !event.data.article.includes('第二十七条')) {
    return `${event.data.article}、第二十七条`;
  }
  return base;
}

export interface CommandInfo {
  roles: Role[];
  articles: string;
  /** POST route segment of API.md */
  route: string;
  /** answers 201: the command opens a new stream */
  creates?: boolean;
  /** the refusal codes this command's decision can raise (documented per route in the OpenAPI document) */
  refusals?: readonly RuleCode[];
}

const CU: Role[] = ['CONSTRUCTION_UNIT'];
const OFFICE: Role[] = ['OFFICE'];
const OVERSIGHT: Role[] = ['OFFICE', 'SUPERVISOR'];
const SYSTEM: Role[] = ['SYSTEM'];

/** Who may issue what (API.md commands table); decide enforces it, HTTP may pre-check. */
export const COMMAND_CATALOGUE: Record<CommandType, CommandInfo> = {
  RegisterProject: { roles: CU, articles: '第二条、第五条、第七条、第九条', route: '/projects', creates: true },
  SubmitProposal: { roles: CU, articles: '第六条', route: 'submit-proposal' },
  ApproveProposal: { roles: OFFICE, articles: '第六条', route: 'approve-proposal' },
  RejectProposal: { roles: OFFICE, articles: '第六条', route: 'reject-proposal' },
  SubmitFeasibilityStudy: { roles: CU, articles: '第六条、第八条', route: 'submit-feasibility' },
  ApproveFeasibility: { roles: OFFICE, articles: '第八条', route: 'approve-feasibility' },
  RejectFeasibility: { roles: OFFICE, articles: '第八条', route: 'reject-feasibility' },
  SubmitPreliminaryDesign: { roles: CU, articles: '第八条、第十三条', route: 'submit-preliminary-design' },
  ReviewPreliminaryDesign: { roles: OFFICE, articles: '第八条', route: 'review-preliminary-design' },
  ApprovePreliminaryDesign: { roles: OFFICE, articles: '第八条', route: 'approve-preliminary-design' },
  RejectPreliminaryDesign: { roles: OFFICE, articles: '第八条', route: 'reject-preliminary-design' },
  AssignResponsibility: { roles: CU, articles: '第十条', route: 'assign-responsibility' },
  EngageSupervisionUnit: { roles: CU, articles: '第十六条', route: 'engage-supervision' },
  StartConstruction: { roles: CU, articles: '第八条、第十条、第十六条', route: 'start-construction' },
  SubmitPerformanceReport: { roles: CU, articles: '第十七条', route: 'submit-performance-report' },
  ReportIncident: { roles: CU, articles: '第十八条', route: 'report-incident' },
  FileAdjustment: { roles: CU, articles: '第二十条', route: 'file-adjustment' },
  CompleteConstruction: { roles: CU, articles: '第十九条、第二十一条', route: 'complete-construction' },
  ReturnSurplusFunds: { roles: ['FINANCE'], articles: '第十九条', route: 'return-surplus' },
  AgreeAcceptancePlan: { roles: OFFICE, articles: '第二十一条', route: 'agree-acceptance-plan' },
  RecordArchiveAcceptance: { roles: OFFICE, articles: '第二十二条', route: 'record-archive-acceptance' },
  RequestAcceptanceExtension: { roles: CU, articles: '第二十一条', route: 'request-acceptance-extension' },
  GrantAcceptanceExtension: { roles: OFFICE, articles: '第二十一条', route: 'grant-acceptance-extension' },
  RecordAcceptance: { roles: OFFICE, articles: '第十三条、第二十一条、第二十二条', route: 'record-acceptance' },
  RegisterAsset: { roles: CU, articles: '第二十三条', route: 'register-asset' },
  RecordCompliance: { roles: OVERSIGHT, articles: '第十一条、第十二条、第二十四条、第二十七条', route: 'record-compliance' },
  GrantSharingExemption: { roles: ['GOVERNMENT'], articles: '第二十四条', route: 'grant-sharing-exemption' },
  OrderRectification: { roles: OVERSIGHT, articles: '第十八条、第二十七条', route: 'order-rectification' },
  SubmitRectification: { roles: CU, articles: '第二十七条', route: 'submit-rectification' },
  VerifyRectification: { roles: OVERSIGHT, articles: '第二十七条', route: 'verify-rectification' },
  CriticizeProject: { roles: OFFICE, articles: '第二十七条、第三十条', route: 'criticize' },
  DeferInvestment: { roles: OFFICE, articles: '第二十七条、第三十条', route: 'defer-investment' },
  SuspendProject: { roles: OFFICE, articles: '第十八条、第二十七条', route: 'suspend' },
  ResumeProject: { roles: OFFICE, articles: '第十八条、第二十七条', route: 'resume' },
  TerminateProject: { roles: ['OFFICE', 'LEADING_GROUP'], articles: '第二十七条', route: 'terminate' },
  MarkAcceptanceOverdue: { roles: SYSTEM, articles: '第二十一条', route: '(deadline watcher)' },
  MarkPerformanceReportOverdue: { roles: SYSTEM, articles: '第十七条', route: '(deadline watcher)' },
  MarkRectificationOverdue: { roles: SYSTEM, articles: '第二十七条', route: '(deadline watcher)' },
  IncludeProjectInPlan: { roles: OFFICE, articles: '第五条', route: '/annual-plans/:year/include' },
  AdoptAnnualPlan: { roles: ['LEADING_GROUP'], articles: '第五条', route: '/annual-plans/:year/adopt' },
  RecordBudgetFeedback: { roles: ['FINANCE'], articles: '第五条', route: '/annual-plans/:year/budget-feedback' },
};

/** 第二条 project categories. */
export type Category =
  | 'INFRASTRUCTURE' // 电子政务基础设施
  | 'SOFTWARE' // 软件开发及购买
  | 'OPERATIONS' // 运维运营服务
  | 'THIRD_PARTY'; // 第三方服务

/** 第五条 项目性质 */
export type Nature = 'NEW' | 'UPGRADE' | 'CONTINUATION';

/** 第六条 fast-track grounds: 市委市政府明确要求 / 重大战略 / 安全 */
export type FastTrackReason = 'CITY_REQUIREMENT' | 'MAJOR_STRATEGY' | 'SECURITY';
export const FAST_TRACK_REASONS: readonly FastTrackReason[] = ['CITY_REQUIREMENT', 'MAJOR_STRATEGY', 'SECURITY'];

export interface FastTrack {
  reason: FastTrackReason;
  urgent: boolean;
  depthMet: boolean;
  /**
   * 第六条(一): the document of the city's requirement or of the special reason. Required when a
   * fast track is registered now; absent on fast tracks registered before it was asked for.
   */
  evidenceRef?: string;
}

/** 第七条 a project several departments build together. */
export interface CrossDepartment {
  /** 牵头部门 */
  leadDepartment: string;
  /** 参建部门 */
  participants: string[];
  /**
   * 框架方案 (第七条) as a free reference: registrations before frameworks were a record of their
   * own carry it; new ones name the framework instead.
   */
  frameworkPlanRef?: string;
  /** 第七条 the acknowledged framework (`framework-<id>`) the part belongs to; set on registrations since. */
  frameworkId?: string;
}

/**
 * 第七条 a cross-department part as a registration asks for it: the framework it belongs to. The
 * lead and participants are the framework's; a client that states them must state the framework's.
 */
export interface CrossDepartmentPart {
  frameworkId: string;
  leadDepartment?: string;
  participants?: string[];
}

/**
 * The facts of the framework a registration names, read from its stream when the command runs
 * (another aggregate); null when no framework has that id.
 */
export interface FrameworkFacts {
  frameworkId: string;
  leadDepartment: string;
  participants: string[];
  acknowledged: boolean;
}

/** 第十八条 */
export type IncidentKind = 'SERIOUS_DELAY' | 'MAJOR_LOSS';

/** 第十八条 the office's decision on a reported incident: order rectification, suspend, or take note. */
export type IncidentDecision = 'RECTIFY' | 'SUSPEND' | 'NOTED';
export const INCIDENT_DECISIONS: readonly IncidentDecision[] = ['RECTIFY', 'SUSPEND', 'NOTED'];

/** 第二十六条 application effect (应用效果评价), 第二十九条 post-evaluation (项目后评价). */
export type EvaluationKind = 'APPLICATION_EFFECT' | 'POST_EVALUATION';
export const EVALUATION_KINDS: readonly EvaluationKind[] = ['APPLICATION_EFFECT', 'POST_EVALUATION'];
/** 评价等次: excellent, good, pass, fail. */
export type EvaluationGrade = 'EXCELLENT' | 'GOOD' | 'PASS' | 'FAIL';
export const EVALUATION_GRADES: readonly EvaluationGrade[] = ['EXCELLENT', 'GOOD', 'PASS', 'FAIL'];

/** 第三十条 the violations a criticism may name without a rectification behind it. */
export type Violation = 'UNAPPROVED' | 'FRAUD' | 'OVER_ESTIMATE' | 'POOR_QUALITY' | 'WASTE' | 'ACCIDENT';
export const VIOLATIONS: readonly Violation[] = [
  'UNAPPROVED',
  'FRAUD',
  'OVER_ESTIMATE',
  'POOR_QUALITY',
  'WASTE',
  'ACCIDENT',
];

/**
 * What a sanction rests on (第二十七条): an overdue or rejected rectification; for a suspension a
 * 第十八条 incident; for a criticism a 第三十条 violation. As a command carries it, one member is
 * set; which members a sanction may use is the decision's rule.
 */
export interface SanctionBasis {
  rectificationId?: string;
  incidentId?: string;
  violation?: Violation;
}
/** The basis as a sanction event records it: exactly one member. */
export type RecordedBasis = { rectificationId: string } | { incidentId: string } | { violation: Violation };

/**
 * 第二十七条 what a rectification order is about. Finance orders rectification on fund use and
 * procurement only; the office and supervisors may name a subject or leave it out.
 */
export type RectificationSubject = 'FUND_USE' | 'PROCUREMENT' | 'OTHER';
export const RECTIFICATION_SUBJECTS: readonly RectificationSubject[] = ['FUND_USE', 'PROCUREMENT', 'OTHER'];

/** 第二十条 the three allowed grounds for a self-filed adjustment. */
export type AdjustmentReason = 'CITY_APPROVED' | 'TECHNICAL_OPTIMIZATION' | 'BUSINESS_NEEDS';
export const ADJUSTMENT_REASONS: readonly AdjustmentReason[] = [
  'CITY_APPROVED',
  'TECHNICAL_OPTIMIZATION',
  'BUSINESS_NEEDS',
];

/** 第二十一条 acceptance materials (document refs). */
export interface AcceptanceMaterials {
  acceptanceReport: string; // 项目验收报告
  constructionSummary: string; // 建设总结
  biddingAndContracts: string; // 招投标及合同材料
  processDocuments: string; // 项目过程文档
  financialReport: string; // 财务报告
  securityAssessmentReport: string; // 安全风险评估报告（分级保护/等级保护测评报告）
  cryptoAssessmentReport: string; // 密码应用安全性评估报告
}
export type AcceptanceMaterial = keyof AcceptanceMaterials;
export const ACCEPTANCE_MATERIALS: readonly AcceptanceMaterial[] = [
  'acceptanceReport',
  'constructionSummary',
  'biddingAndContracts',
  'processDocuments',
  'financialReport',
  'securityAssessmentReport',
  'cryptoAssessmentReport',
];

/**
 * 第十三条 the key content of acceptance (验收重点内容): the security and reliability of the
 * software and hardware products, the crypto application security assessment (密评) and the
 * security review (安全审查 / 等级保护测评) passed, and for hardware and new data centres
 * (INFRASTRUCTURE) their energy efficiency (能效).
 */
export interface AcceptanceKeyContent {
  productSecurityReliability: string; // 软硬件产品安全可靠情况
  cryptoAssessmentPassed: boolean; // 密码应用安全性评估通过
  securityReviewPassed: boolean; // 安全审查通过
  energyEfficiency?: string; // 硬件及新建数据中心能效情况 (INFRASTRUCTURE: required)
}
export type AcceptanceKeyContentItem = keyof AcceptanceKeyContent;

/** 第二十三条 */
export type AssetClass = 'INTANGIBLE' | 'FIXED';

/** Facts a compliance check establishes (第十一、十二、二十四、二十七条). */
export interface ComplianceFacts {
  sharesData: boolean;
  duplicateCollection: boolean;
  inCatalogue: boolean;
  cryptoAssessmentPassed: boolean;
  securityAssessmentPassed: boolean;
  majorSecurityHazard: boolean;
}

/**
 * 第二十四条(一)(三) a system of a department whose latest compliance record keeps the department
 * from building: a project in operation or an inventoried existing system (存量系统), with the
 * findings (OM reason codes) that ban it.
 */
export interface BannedSystem {
  kind: 'PROJECT' | 'EXISTING_SYSTEM';
  id: string;
  name: string;
  reasons: string[];
}

/** Who recorded a fact that the measures ask to be attributed (第五条 special circumstances). */
export interface RecordedBy {
  sub: string;
  name: string;
  role: string;
  department?: string;
}

/**
 * What an uploaded file is (项目文件): 项目建议书, 可行性研究报告, 初步设计方案和投资概算,
 * 验收材料, 整改报告. The kind decides who may upload it (documents.ts).
 */
export type DocumentKind = 'PROPOSAL' | 'FEASIBILITY' | 'PRELIMINARY_DESIGN' | 'ACCEPTANCE' | 'RECTIFICATION';
export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'PROPOSAL',
  'FEASIBILITY',
  'PRELIMINARY_DESIGN',
  'ACCEPTANCE',
  'RECTIFICATION',
];

/**
 * The facts of an uploaded file a submission records when its documentRef names it: which bytes
 * (sha256) were submitted, so the audit trail proves which file was approved.
 */
export interface DocumentFacts {
  documentId: string;
  name: string;
  size: number;
  /** lowercase hex SHA-256 of the file's bytes */
  sha256: string;
}

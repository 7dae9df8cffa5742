/**
 * 合规: the facts supervisors record on information security (第十一条), crypto (第十二条),
 * sharing and the catalogue (第二十四条), and the city government's exemption; from them, the
 * O&M funding eligibility of 第二十四条. Records apply from planning on (经市人民政府批准后方可
 * 建设或者保留) until the end of life, but not to rejected projects.
 */
import { LIVE, PRE_APPROVAL } from '../project-status';
import { BannedSystem, ComplianceFacts } from '../project-values';
import { defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SharedRuleCode, recordedBy } from '../shared';
import { ProjectCommandDefinitions, ProjectEventDefinitions, requireStatus } from './guards';
import { ComplianceRecord, ProjectState, RegisteredProject } from './state';

const SHARING = '第二十四条';

export const complianceRules = defineRules({
  EXEMPTION_ALREADY_GRANTED: {
    kind: 'CONFLICT',
    article: SHARING,
    zh: '已获市人民政府批准保留',
    en: 'the sharing exemption was already granted',
  },
  SHARING_REVIEW_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: SHARING,
    zh: '新建、改扩建项目须先经信息共享审核方可批复可行性研究报告',
    en: 'a new or upgrade project needs the sharing review before its feasibility study is approved',
  },
  CONSTRUCTION_BANNED: {
    kind: 'RULE_VIOLATION',
    article: SHARING,
    zh: '本部门有未按要求共享数据、重复采集数据、不符合密码应用和网络安全要求或存在重大安全隐患的系统，不得新建、改建、扩建',
    en: 'a system of the department fails sharing, crypto or security rules or has a major hazard: no building',
  },
  SHARING_EXEMPTION_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: SHARING,
    zh: '不能进行信息共享的项目须经市人民政府批准后方可批复初步设计',
    en: 'a project that will not share needs the city government exemption before its design is approved',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof complianceRules;

export interface OmReason {
  code: string;
  article: string;
  messageZh: string;
  messageEn: string;
}

export interface OmEligibility {
  eligible: boolean;
  reasons: OmReason[];
}

const NOT_RECORDED: ComplianceRecord = { facts: null, sharingExemption: null, sharingReview: null };

type OmReasonCode =
  | 'COMPLIANCE_NOT_RECORDED'
  | 'NOT_SHARING'
  | 'DUPLICATE_COLLECTION'
  | 'NOT_IN_CATALOGUE'
  | 'CRYPTO_NOT_COMPLIANT'
  | 'SECURITY_NOT_COMPLIANT'
  | 'MAJOR_SECURITY_HAZARD';

/** Why a project gets no separate O&M funding (第二十四条 一、二、三), each with its article. */
export const OM_REASONS: { readonly [K in OmReasonCode]: OmReason & { code: K } } = {
  COMPLIANCE_NOT_RECORDED: {
    code: 'COMPLIANCE_NOT_RECORDED',
    article: SHARING,
    messageZh: '尚未记录信息共享、目录、密码及安全情况',
    messageEn: 'no compliance facts recorded yet',
  },
  NOT_SHARING: {
    code: 'NOT_SHARING',
    article: SHARING,
    messageZh: '未按要求共享数据资源且未经市人民政府批准保留',
    messageEn: 'does not share data as required and holds no government exemption',
  },
  DUPLICATE_COLLECTION: {
    code: 'DUPLICATE_COLLECTION',
    article: SHARING,
    messageZh: '重复采集数据',
    messageEn: 're-collects data already collected',
  },
  NOT_IN_CATALOGUE: {
    code: 'NOT_IN_CATALOGUE',
    article: '第九条、第二十四条',
    messageZh: '未纳入数字鄂尔多斯建设项目总目录',
    messageEn: 'not in the total project catalogue',
  },
  CRYPTO_NOT_COMPLIANT: {
    code: 'CRYPTO_NOT_COMPLIANT',
    article: '第十二条、第二十四条',
    messageZh: '不符合密码应用要求',
    messageEn: 'fails crypto application requirements',
  },
  SECURITY_NOT_COMPLIANT: {
    code: 'SECURITY_NOT_COMPLIANT',
    article: '第十一条、第二十四条',
    messageZh: '不符合网络安全要求',
    messageEn: 'fails network security requirements',
  },
  MAJOR_SECURITY_HAZARD: {
    code: 'MAJOR_SECURITY_HAZARD',
    article: SHARING,
    messageZh: '存在重大安全隐患',
    messageEn: 'carries a major security hazard',
  },
};

/** The refusals the approval stages (approval.ts) may name for the sharing review. */
export type SharingGateCode = 'SHARING_REVIEW_REQUIRED' | 'SHARING_EXEMPTION_REQUIRED';

/** 第二十四条 the review applies to what is built or rebuilt (新建、改扩建), not to continuations. */
function needsSharingReview(state: RegisteredProject): boolean {
  return state.registration.nature !== 'CONTINUATION';
}

/**
 * 第二十四条 before the feasibility study of a NEW or UPGRADE project is approved, the office has
 * reviewed its information sharing. Checked only at that decision: a project whose study was
 * approved before the rule is not judged again.
 */
export function requireSharingReview(state: RegisteredProject): void {
  if (needsSharingReview(state) && !state.compliance.sharingReview) {
    throw refusal(complianceRules.SHARING_REVIEW_REQUIRED, { nature: state.registration.nature });
  }
}

/**
 * 第二十四条 经市人民政府批准后方可建设或者保留: a project the review found not shareable has its
 * preliminary design approved only with the government's exemption. A project never reviewed
 * (its study approved before the rule) is not judged again here.
 */
export function requireSharingExemption(state: RegisteredProject): void {
  const review = state.compliance.sharingReview;
  if (review && !review.shareable && !state.compliance.sharingExemption) {
    throw refusal(complianceRules.SHARING_EXEMPTION_REQUIRED, { reviewedOn: review.reviewedOn });
  }
}

/**
 * 第二十四条 "联网通办是原则，孤网是例外": no separate O&M funding for a system that does not
 * share or re-collects data (一), is outside the total catalogue (二), or fails crypto/security
 * requirements or carries a major hazard (三). The city government's exemption covers only the
 * inability to share (the article's exemption is for systems that 不能进行信息共享); it does not
 * excuse duplicate collection, catalogue or security failures. Without any recorded compliance
 * facts eligibility cannot be shown, so the project is not eligible until they are recorded.
 */
export function omEligibility(of: ProjectState | ComplianceRecord): OmEligibility {
  const record = 'status' in of ? (of.status === null ? NOT_RECORDED : of.compliance) : of;
  const facts = record.facts;
  if (!facts) return { eligible: false, reasons: [{ ...OM_REASONS.COMPLIANCE_NOT_RECORDED }] };
  const checks: [OmReasonCode, boolean][] = [
    ['NOT_SHARING', !facts.sharesData && !record.sharingExemption],
    ['DUPLICATE_COLLECTION', facts.duplicateCollection],
    ['NOT_IN_CATALOGUE', !facts.inCatalogue],
    ['CRYPTO_NOT_COMPLIANT', !facts.cryptoAssessmentPassed],
    ['SECURITY_NOT_COMPLIANT', !facts.securityAssessmentPassed],
    ['MAJOR_SECURITY_HAZARD', facts.majorSecurityHazard],
  ];
  const reasons: OmReason[] = checks.filter(([, fails]) => fails).map(([code]) => ({ ...OM_REASONS[code] }));
  return { eligible: reasons.length === 0, reasons };
}

/** 第二十四条(二) a system outside the catalogue loses separate O&M funds only: no construction ban. */
const NOT_BANNING: readonly string[] = ['COMPLIANCE_NOT_RECORDED', 'NOT_IN_CATALOGUE'];

/**
 * 第二十四条(一)(三) the findings of a system's compliance record that keep its department from
 * building (不得新建、改建、扩建): not sharing without the government's exemption, re-collecting
 * data, failing crypto or security requirements, a major hazard. A system never assessed has no
 * finding; the exemption clears not sharing only. [] when the system does not ban.
 */
export function banReasonsOf(record: ComplianceRecord): string[] {
  if (!record.facts) return [];
  return omEligibility(record)
    .reasons.map((r) => r.code)
    .filter((code) => !NOT_BANNING.includes(code));
}

/** The refusals the construction stages may name for the ban. */
export type ConstructionBanCode = 'CONSTRUCTION_BANNED';

/**
 * 第二十四条 a department with a system under the ban may not register a NEW or UPGRADE project,
 * start construction or file an adjustment; the refusal names each system and its findings.
 * `underBan` is supplied by the application layer (the department's other streams); when it is
 * absent the facts were not looked up and the check is not this decision's to make.
 */
export function requireNoConstructionBan(departmentCode: string, underBan: readonly BannedSystem[] | undefined): void {
  if (underBan && underBan.length > 0) {
    throw refusal(complianceRules.CONSTRUCTION_BANNED, { departmentCode, systems: underBan });
  }
}

export const complianceCommands: ProjectCommandDefinitions<
  'RecordCompliance' | 'GrantSharingExemption' | 'ReviewSharing',
  Code
> = {
  RecordCompliance: {
    roles: ['OFFICE', 'SUPERVISOR'],
    articles: '第十一条、第十二条、第二十四条、第二十七条',
    route: 'record-compliance',
    accepts: LIVE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const d = command.data;
      const facts: ComplianceFacts = {
        sharesData: d.sharesData,
        duplicateCollection: d.duplicateCollection,
        inCatalogue: d.inCatalogue,
        cryptoAssessmentPassed: d.cryptoAssessmentPassed,
        securityAssessmentPassed: d.securityAssessmentPassed,
        majorSecurityHazard: d.majorSecurityHazard,
      };
      const eligibility = omEligibility({ ...state.compliance, facts });
      return [
        {
          type: 'ComplianceRecorded',
          data: {
            projectId: d.projectId,
            ...facts,
            recordedOn: ctx.today,
            recordedBy: recordedBy(ctx.actor),
            omEligible: eligibility.eligible,
            omReasonCodes: eligibility.reasons.map((r) => r.code),
          },
        },
      ];
    },
  },
  /** 第二十四条 经市人民政府批准后方可建设或者保留. */
  GrantSharingExemption: {
    roles: ['GOVERNMENT'],
    articles: SHARING,
    route: 'grant-sharing-exemption',
    accepts: LIVE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'EXEMPTION_ALREADY_GRANTED'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const granted = state.compliance.sharingExemption;
      if (granted) throw refusal(complianceRules.EXEMPTION_ALREADY_GRANTED, { grantedOn: granted.grantedOn });
      const { projectId, reason } = command.data;
      return [
        {
          type: 'SharingExemptionGranted',
          data: { projectId, reason, grantedOn: ctx.today, grantedBy: recordedBy(ctx.actor) },
        },
      ];
    },
  },
  /** 第二十四条 信息资源共享 reviewed by the office (会同有关部门审核) during approval; the last review counts. */
  ReviewSharing: {
    roles: ['OFFICE'],
    articles: SHARING,
    route: 'review-sharing',
    accepts: PRE_APPROVAL,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, shareable, opinion } = command.data;
      return [{ type: 'SharingReviewed', data: { projectId, shareable, opinion, reviewedOn: ctx.today } }];
    },
  },
};

export const complianceEvents: ProjectEventDefinitions<
  'ComplianceRecorded' | 'SharingExemptionGranted' | 'SharingReviewed'
> = {
  ComplianceRecorded: {
    label: '合规情况已记录',
    family: '建设',
    article: '第十一条、第十二条、第二十四条、第二十七条',
  },
  SharingExemptionGranted: { label: '市人民政府已批准保留', family: '建设', article: SHARING },
  SharingReviewed: { label: '信息共享已审核', family: '批复', article: SHARING },
};

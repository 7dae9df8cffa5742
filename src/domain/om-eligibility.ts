import { ComplianceFacts } from './project-values';

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

/**
 * 第二十四条 "联网通办是原则，孤网是例外": no separate O&M funding for a system that does not
 * share or re-collects data (一), is outside the total catalogue (二), or fails crypto/security
 * requirements or carries a major hazard (三). The city government's exemption covers only the
 * inability to share (the article's exemption is for systems that 不能进行信息共享); it does not
 * excuse duplicate collection, catalogue or security failures. Without any recorded compliance
 * facts eligibility cannot be shown, so the project is not eligible until they are recorded.
 */
export function omEligibility(state: {
  compliance: ComplianceFacts | null;
  sharingExemption: { reason: string } | null;
}): OmEligibility {
  const reasons: OmReason[] = [];
  const facts = state.compliance;
  if (!facts) {
    reasons.push({
      code: 'COMPLIANCE_NOT_RECORDED',
      article: '第二十四条',
      messageZh: '尚未记录信息共享、目录、密码及安全情况',
      messageEn: 'no compliance facts recorded yet',
    });
    return { eligible: false, reasons };
  }
  if (!facts.sharesData && !state.sharingExemption) {
    reasons.push({ code: 'NOT_SHARING', article: '第二十四条', messageZh: '未按要求共享数据资源且未经市人民政府批准保留', messageEn: 'does not share data as required and holds no government exemption' });
  }
  if (facts.duplicateCollection) {
    reasons.push({ code: 'DUPLICATE_COLLECTION', article: '第二十四条', messageZh: '重复采集数据', messageEn: 're-collects data already collected' });
  }
  if (!facts.inCatalogue) {
    reasons.push({ code: 'NOT_IN_CATALOGUE', article: '第九条、第二十四条', messageZh: '未纳入数字鄂尔多斯建设项目总目录', messageEn: 'not in the total project catalogue' });
  }
  if (!facts.cryptoAssessmentPassed) {
    reasons.push({ code: 'CRYPTO_NOT_COMPLIANT', article: '第十二条、第二十四条', messageZh: '不符合密码应用要求', messageEn: 'fails crypto application requirements' });
  }
  if (!facts.securityAssessmentPassed) {
    reasons.push({ code: 'SECURITY_NOT_COMPLIANT', article: '第十一条、第二十四条', messageZh: '不符合网络安全要求', messageEn: 'fails network security requirements' });
  }
  if (facts.majorSecurityHazard) {
    reasons.push({ code: 'MAJOR_SECURITY_HAZARD', article: '第二十四条', messageZh: '存在重大安全隐患', messageEn: 'carries a major security hazard' });
  }
  return { eligible: reasons.length === 0, reasons };
}

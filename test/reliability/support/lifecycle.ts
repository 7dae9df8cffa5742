/** The Ordos civil date (UTC+8) of the real clock, `YYYY-MM-DD`. */
export function ordosToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const ESTIMATE = 300_000_000;

export type StepRole = 'CONSTRUCTION_UNIT' | 'OFFICE' | 'FINANCE';

export interface Step {
  path: string;
  role: StepRole;
  body: () => Record<string, unknown>;
}

export function registrationBody(projectId: string, dept: string): Record<string, unknown> {
  return {
    projectId,
    name: '鄂尔多斯市政务服务一网通办平台升级',
    category: 'SOFTWARE',
    departmentCode: dept,
    // 第五条: this year (of the real clock these servers run on) is a plan year they accept
    planYear: Number(ordosToday().slice(0, 4)),
    nature: 'UPGRADE',
    estimateFen: ESTIMATE,
    basis: '《数字鄂尔多斯建设规划》',
    schedule: '2026年',
    cloudResources: '政务云 16核64G',
    dataSharing: '共享人口库',
    networkNeeds: '电子政务外网',
    omGuarantee: '运维团队3人',
    followsMasterPlan: true,
  };
}

/** The normal path of 第六条、第八条… from a registered project to a registered asset. */
export const LIFECYCLE: Step[] = [
  { path: 'submit-proposal', role: 'CONSTRUCTION_UNIT', body: () => ({ documentRef: 'JY-1' }) },
  { path: 'approve-proposal', role: 'OFFICE', body: () => ({ opinion: '同意立项' }) },
  { path: 'submit-feasibility', role: 'CONSTRUCTION_UNIT', body: () => ({ documentRef: 'KY-1' }) },
  { path: 'review-sharing', role: 'OFFICE', body: () => ({ shareable: true, opinion: '按目录共享' }) },
  { path: 'approve-feasibility', role: 'OFFICE', body: () => ({ opinion: '可研批复' }) },
  {
    path: 'submit-preliminary-design',
    role: 'CONSTRUCTION_UNIT',
    body: () => ({
      documentRef: 'CS-1',
      estimateFen: ESTIMATE,
      productSecurityStatement: '安全可靠',
      cryptoApplicationPlan: 'MM-1',
    }),
  },
  {
    path: 'review-preliminary-design',
    role: 'OFFICE',
    body: () => ({ passed: true, verifiedEstimateFen: ESTIMATE, opinion: '评审通过' }),
  },
  {
    path: 'approve-preliminary-design',
    role: 'OFFICE',
    body: () => ({ opinion: '批复', approvedEstimateFen: ESTIMATE }),
  },
  {
    path: 'assign-responsibility',
    role: 'CONSTRUCTION_UNIT',
    body: () => ({ implementingBody: '市大数据中心', responsiblePerson: '张三' }),
  },
  {
    path: 'engage-supervision',
    role: 'CONSTRUCTION_UNIT',
    body: () => ({ supervisionUnit: '监理公司', contractRef: 'JL-1' }),
  },
  { path: 'start-construction', role: 'CONSTRUCTION_UNIT', body: () => ({ startedOn: ordosToday() }) },
  {
    path: 'file-adjustment',
    role: 'CONSTRUCTION_UNIT',
    body: () => ({
      reason: 'TECHNICAL_OPTIMIZATION',
      amountFen: 10_000_000,
      newTotalFen: ESTIMATE,
      objectivesUnchanged: true,
      description: '优化',
    }),
  },
  {
    path: 'complete-construction',
    role: 'CONSTRUCTION_UNIT',
    body: () => ({ completedOn: ordosToday(), surplusFen: 1_000_000 }),
  },
  { path: 'return-surplus', role: 'FINANCE', body: () => ({ amountFen: 500_000 }) },
  {
    path: 'agree-acceptance-plan',
    role: 'OFFICE',
    body: () => ({ method: '专家评审', experts: ['李四'], materials: ['验收报告'] }),
  },
  { path: 'record-archive-acceptance', role: 'OFFICE', body: () => ({ passed: true, opinion: '档案齐全' }) },
];

/**
 * One example request body per operation of the OpenAPI document, all of one project's story so
 * that each is a valid input at its step (test/http/openapi.e2e-spec.ts walks them over HTTP):
 *
 *   2026-03-02  registered (plan year 2026) … preliminary design approved at 400 万元 (approvedOn)
 *   2026-03-16  construction starts (startedOn: not before the approval, not after today); an
 *               incident is reported and the office decides to order rectification (第十八条)
 *   2026-04-01  a rectification is ordered with a deadline of 2026-06-30, reported and rejected;
 *               the sanctions rest on it (第二十七条): criticism, deferral, suspension, resumption
 *   2026-11-30  construction completed (completedOn ≥ startedOn); acceptance due 2027-05-30
 *   2027-01-15  extension to 2027-08-31 requested and granted, archive acceptance, acceptance, asset
 *               (at its actual cost: 390 万 after the adjustment, less the 5 万 surplus);
 *               the office's post-evaluation (第二十九条)
 *
 * Dates stated as facts are valid on and after the day of their step. Ids that must name an
 * existing project (`projectId` of the annual-plan routes) cannot be valid on their own.
 */
export const EXAMPLE_DEPARTMENT = 'DSJ';
export const EXAMPLE_PROJECT_ID = '3f0b6c2e-8d1a-4c57-9e2b-5a7d4e1f9c30';
export const EXAMPLE_RECTIFICATION_ID = '8a2d5f14-6b3c-4e9a-b7d1-2c4e6f8a0b13';
export const EXAMPLE_INCIDENT_ID = '5c7e9a1b-3d2f-4a6c-8e0b-9f1d3b5a7c24';
const ON_THE_RECTIFICATION = { rectificationId: EXAMPLE_RECTIFICATION_ID };
/** 第七条 a framework led by EXAMPLE_DEPARTMENT with these participants (each confirms it). */
export const EXAMPLE_FRAMEWORK_ID = '6d4a2c8e-1f3b-4e5d-9a7c-0b2e4f6a8c91';
export const EXAMPLE_FRAMEWORK_PARTICIPANTS = ['GAJ', 'SCJGJ'];

const MATERIALS = {
  acceptanceReport: 'YS-2027-01 验收报告',
  constructionSummary: 'JS-2027-01 建设总结',
  biddingAndContracts: 'ZB-2026-03 招投标及合同',
  processDocuments: 'GC-2026 过程文档',
  financialReport: 'CW-2027-01 财务报告',
  securityAssessmentReport: 'AQ-2026-11 安全测评报告',
  cryptoAssessmentReport: 'MM-2026-11 密码应用安全性评估报告',
};

const projectCommand = (route: string) => `POST /projects/{id}/${route}`;

export const REQUEST_EXAMPLES: Record<string, Record<string, unknown>> = {
  'POST /projects': {
    projectId: EXAMPLE_PROJECT_ID,
    name: '鄂尔多斯市政务服务一网通办平台升级',
    category: 'SOFTWARE',
    departmentCode: EXAMPLE_DEPARTMENT,
    planYear: 2026,
    nature: 'UPGRADE',
    estimateFen: 450_000_000,
    basis: '《数字鄂尔多斯建设规划》',
    schedule: '2026年3月至2026年11月',
    cloudResources: '政务云 16核64G ×4',
    dataSharing: '共享人口、法人库',
    networkNeeds: '电子政务外网',
    omGuarantee: '运维团队3人',
    followsMasterPlan: true,
  },
  [projectCommand('submit-proposal')]: { documentRef: 'JY-2026-001 项目建议书' },
  [projectCommand('approve-proposal')]: { opinion: '同意开展可行性研究' },
  [projectCommand('reject-proposal')]: { opinion: '与现有系统重复，不予批复' },
  [projectCommand('submit-feasibility')]: { documentRef: 'KY-2026-001 可行性研究报告' },
  [projectCommand('approve-feasibility')]: { opinion: '可研批复' },
  [projectCommand('reject-feasibility')]: { opinion: '研究深度不够' },
  [projectCommand('submit-preliminary-design')]: {
    documentRef: 'CS-2026-001 初步设计方案和投资概算',
    estimateFen: 420_000_000,
    productSecurityStatement: '采用国产安全可靠软硬件产品',
    cryptoApplicationPlan: 'MM-2026-001 密码应用方案',
  },
  [projectCommand('review-preliminary-design')]: {
    passed: true,
    verifiedEstimateFen: 400_000_000,
    opinion: '评审核价通过',
  },
  [projectCommand('approve-preliminary-design')]: { opinion: '批复初步设计', approvedEstimateFen: 400_000_000 },
  [projectCommand('reject-preliminary-design')]: { opinion: '概算依据不足' },
  [projectCommand('assign-responsibility')]: { implementingBody: '市大数据中心', responsiblePerson: '王五' },
  [projectCommand('engage-supervision')]: { supervisionUnit: '内蒙古某工程监理有限公司', contractRef: 'JL-2026-007' },
  [projectCommand('start-construction')]: { startedOn: '2026-03-16' },
  [projectCommand('submit-performance-report')]: {
    year: 2026,
    progressPercent: 60,
    investmentExecutedFen: 200_000_000,
    userOpinions: '办事群众反映良好',
    supervisionOpinion: '进度、质量符合合同要求',
  },
  [projectCommand('report-incident')]: {
    incidentId: EXAMPLE_INCIDENT_ID,
    kind: 'SERIOUS_DELAY',
    description: '数据接口联调滞后两个月',
  },
  [projectCommand('decide-incident')]: {
    incidentId: EXAMPLE_INCIDENT_ID,
    decision: 'RECTIFY',
    opinion: '责令限期整改，加快接口联调',
  },
  [projectCommand('file-adjustment')]: {
    reason: 'CITY_APPROVED',
    amountFen: 40_000_000,
    newTotalFen: 390_000_000,
    objectivesUnchanged: true,
    description: '经市政府同意调减硬件采购',
  },
  [projectCommand('complete-construction')]: { completedOn: '2026-11-30', surplusFen: 5_000_000 },
  [projectCommand('return-surplus')]: { amountFen: 5_000_000 },
  [projectCommand('release-investment')]: { amountFen: 200_000_000, documentRef: '鄂财建〔2026〕12号' },
  [projectCommand('agree-acceptance-plan')]: {
    method: '专家评审验收',
    experts: ['张三（信息化专家）', '李四（财务专家）', '赵六（安全专家）'],
    materials: ['验收报告', '建设总结', '财务报告'],
  },
  [projectCommand('record-archive-acceptance')]: { passed: true, opinion: '档案齐全，验收合格' },
  [projectCommand('request-acceptance-extension')]: { until: '2027-08-31', reason: '密码测评排期顺延' },
  [projectCommand('grant-acceptance-extension')]: { opinion: '同意延期至2027年8月31日' },
  [projectCommand('record-acceptance')]: {
    passed: true,
    opinion: '验收通过',
    materials: MATERIALS,
    keyContent: {
      productSecurityReliability: '核心软硬件均为安全可靠产品',
      cryptoAssessmentPassed: true,
      securityReviewPassed: true,
    },
  },
  [projectCommand('register-asset')]: { assetClass: 'INTANGIBLE', costFen: 385_000_000 },
  [projectCommand('evaluate')]: {
    kind: 'POST_EVALUATION',
    grade: 'GOOD',
    opinion: '平台运行稳定，一网通办事项办理时长明显缩短',
  },
  // multipart/form-data: the file part carries the bytes (its type is read from them, not from here)
  [projectCommand('documents')]: { kind: 'PROPOSAL', file: '(binary) JY-2026-001 项目建议书.pdf' },
  [projectCommand('record-compliance')]: {
    sharesData: true,
    duplicateCollection: false,
    inCatalogue: true,
    cryptoAssessmentPassed: true,
    securityAssessmentPassed: true,
    majorSecurityHazard: false,
  },
  [projectCommand('grant-sharing-exemption')]: { reason: '涉密数据，经市人民政府批准保留' },
  [projectCommand('review-sharing')]: { shareable: true, opinion: '数据资源按目录共享，同意' },
  [projectCommand('order-rectification')]: {
    rectificationId: EXAMPLE_RECTIFICATION_ID,
    findings: ['未按期报送绩效评价报告'],
    deadline: '2026-06-30',
    article: '第二十七条',
  },
  [projectCommand('submit-rectification')]: { rectificationId: EXAMPLE_RECTIFICATION_ID, report: '已补报并完善制度' },
  [projectCommand('verify-rectification')]: {
    rectificationId: EXAMPLE_RECTIFICATION_ID,
    passed: false,
    opinion: '整改后仍不符合要求',
  },
  [projectCommand('criticize')]: { reason: '整改后仍不符合要求，予以通报批评', basis: ON_THE_RECTIFICATION },
  [projectCommand('defer-investment')]: { reason: '整改不到位，暂缓安排投资计划', basis: ON_THE_RECTIFICATION },
  [projectCommand('suspend')]: { reason: '整改不到位，暂停建设', basis: ON_THE_RECTIFICATION },
  [projectCommand('resume')]: { reason: '整改方案已落实，恢复建设' },
  [projectCommand('terminate')]: { reason: '整改后仍不符合要求，终止建设', basis: ON_THE_RECTIFICATION },
  'POST /annual-plans/{year}/include': { projectId: EXAMPLE_PROJECT_ID, reviewOpinion: '符合规划，纳入2026年度计划' },
  'POST /annual-plans/{year}/adopt': { meetingRef: '领导小组联席会议纪要〔2026〕1号' },
  'POST /annual-plans/{year}/budget-feedback': {
    projectId: EXAMPLE_PROJECT_ID,
    inBudget: true,
    controlAmountFen: 400_000_000,
  },
  'POST /systems': {
    name: '教育资源公共服务平台',
    inCatalogue: true,
    description: '2018年建成的存量系统，部署于政务云',
  },
  'POST /systems/{id}/record-compliance': {
    sharesData: true,
    duplicateCollection: false,
    inCatalogue: true,
    cryptoAssessmentPassed: true,
    securityAssessmentPassed: true,
    majorSecurityHazard: false,
  },
  'POST /systems/{id}/grant-sharing-exemption': { reason: '涉密系统，依法不能共享，确有必要保留' },
  'POST /frameworks': {
    frameworkId: EXAMPLE_FRAMEWORK_ID,
    name: '鄂尔多斯市“一件事一次办”跨部门工程',
    participants: EXAMPLE_FRAMEWORK_PARTICIPANTS,
    objectives: '企业开办、不动产登记等事项一次受理、一网通办',
    contentByDepartment: {
      [EXAMPLE_DEPARTMENT]: ['统一受理平台', '数据共享交换通道'],
      GAJ: ['人口信息核验服务'],
      SCJGJ: ['市场主体登记接口改造'],
    },
    dataFlows: '统一受理→各部门并联审批→结果回传统一受理平台；数据经共享交换平台流转',
    interfaces: '统一身份认证接口、共享交换接口、审批结果回传接口',
    dataCatalogue: ['人口基础信息', '市场主体登记信息', '不动产登记信息'],
  },
  'POST /frameworks/{id}/confirm': { opinion: '同意框架方案，按分工建设' },
  'POST /frameworks/{id}/acknowledge': { opinion: '框架方案已受理，各部门按分工申报' },
  'POST /subscriptions': {
    url: 'https://finance.example/hooks/ordos',
    families: ['批复'],
    secret: 'a-long-random-shared-secret-0123456789',
  },
  'POST /subscriptions/{id}/redeliver': {},
  'PUT /admin/test-clock': { now: '2027-03-01T00:00:00+08:00' },
};

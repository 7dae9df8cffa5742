import {
  AcceptanceKeyContent,
  AcceptanceMaterials,
  Actor,
  COMMAND_CATALOGUE,
  ProjectCommand,
  ProjectCommandOf,
  ProjectCommandType,
  ProjectEvent,
  Role,
  fold,
  projectDecider,
} from '../../src/domain';

export const PID = 'p-0001';
export const DEPT = 'D-EDU';

export const actors = {
  cu: { sub: 'u-cu', name: '教育局 张三', role: 'CONSTRUCTION_UNIT', department: DEPT },
  otherCu: { sub: 'u-cu2', name: '卫健委 李四', role: 'CONSTRUCTION_UNIT', department: 'D-HEALTH' },
  office: { sub: 'u-off', name: '大数据局 王五', role: 'OFFICE' },
  leading: { sub: 'u-lg', name: '领导小组', role: 'LEADING_GROUP' },
  finance: { sub: 'u-fin', name: '财政局', role: 'FINANCE' },
  audit: { sub: 'u-aud', name: '审计局', role: 'AUDIT' },
  supervisor: { sub: 'u-sup', name: '网信办', role: 'SUPERVISOR' },
  government: { sub: 'u-gov', name: '市人民政府', role: 'GOVERNMENT' },
  system: { sub: 'deadline-watcher', name: '期限监测', role: 'SYSTEM' },
} satisfies Record<string, Actor>;

/** "Today" of the brief: after the lapse of ordos-2020. */
export const NOW = '2026-11-26T10:00:00+08:00';
/** History happens early in 2026 unless a test says otherwise. */
export const EARLY = '2026-01-05T10:00:00+08:00';

type DataOf<T extends ProjectCommandType> = Omit<ProjectCommandOf<T>['data'], 'projectId'>;

/**
 * A value outside its declared type, as hostile input could carry it past the HTTP layer: the
 * decision must still refuse it. The one cast for such input, named so the intent shows.
 */
export function outside<T>(value: unknown): T {
  return value as T;
}

/** Builds a command; actor defaults to the role the API table names first. */
export function command<T extends ProjectCommandType>(
  type: T,
  data: DataOf<T>,
  actor: Actor = defaultActor(type),
  now: string = NOW,
): ProjectCommandOf<T> {
  return { type, data: { projectId: PID, ...data }, metadata: { now, actor } } as unknown as ProjectCommandOf<T>;
}

const BY_ROLE: Partial<Record<Role, Actor>> = {
  CONSTRUCTION_UNIT: actors.cu,
  OFFICE: actors.office,
  LEADING_GROUP: actors.leading,
  FINANCE: actors.finance,
  SUPERVISOR: actors.supervisor,
  GOVERNMENT: actors.government,
  SYSTEM: actors.system,
};

/** The first role COMMAND_CATALOGUE lists for the command. */
export function defaultActor(type: ProjectCommandType): Actor {
  return BY_ROLE[COMMAND_CATALOGUE[type].roles[0]] ?? actors.cu;
}

export function at<C extends ProjectCommand>(now: string, cmd: C): C {
  return { ...cmd, metadata: { ...cmd.metadata, now } };
}

export function actingAs<C extends ProjectCommand>(actor: Actor, cmd: C): C {
  return { ...cmd, metadata: { ...cmd.metadata, actor } };
}

export const registration = (over: Partial<DataOf<'RegisterProject'>> = {}): DataOf<'RegisterProject'> => ({
  name: '智慧教育平台',
  category: 'SOFTWARE',
  departmentCode: DEPT,
  planYear: 2026,
  nature: 'NEW',
  estimateFen: 300_000_000,
  basis: '数字鄂尔多斯规划',
  schedule: '2026 全年',
  cloudResources: '政务云 16 核',
  dataSharing: '共享至市数据共享平台',
  networkNeeds: '电子政务外网',
  omGuarantee: '三年运维',
  followsMasterPlan: true,
  ...over,
});

export const MATERIALS: AcceptanceMaterials = {
  acceptanceReport: 'doc:ar',
  constructionSummary: 'doc:cs',
  biddingAndContracts: 'doc:bc',
  processDocuments: 'doc:pd',
  financialReport: 'doc:fr',
  securityAssessmentReport: 'doc:sa',
  cryptoAssessmentReport: 'doc:ca',
};

/** 第十三条 key content of a passed acceptance (energy efficiency: for INFRASTRUCTURE, given anyway). */
export const KEY_CONTENT: AcceptanceKeyContent = {
  productSecurityReliability: '国产安全可靠产品',
  cryptoAssessmentPassed: true,
  securityReviewPassed: true,
  energyEfficiency: 'PUE 1.3',
};

export const c = {
  register: (over: Partial<DataOf<'RegisterProject'>> = {}) => command('RegisterProject', registration(over)),
  submitProposal: () => command('SubmitProposal', { documentRef: 'doc:proposal' }),
  approveProposal: () => command('ApproveProposal', { opinion: '同意' }),
  submitFeasibility: () => command('SubmitFeasibilityStudy', { documentRef: 'doc:fs' }),
  reviewSharing: (shareable = true) => command('ReviewSharing', { shareable, opinion: '共享审核' }),
  approveFeasibility: () => command('ApproveFeasibility', { opinion: '同意' }),
  submitDesign: (estimateFen = 300_000_000) =>
    command('SubmitPreliminaryDesign', {
      documentRef: 'doc:pd',
      estimateFen,
      productSecurityStatement: '国产化',
      cryptoApplicationPlan: 'doc:mm',
    }),
  reviewDesign: (verifiedEstimateFen = 300_000_000, passed = true) =>
    command('ReviewPreliminaryDesign', { passed, verifiedEstimateFen, opinion: '核价' }),
  approveDesign: (approvedEstimateFen = 300_000_000) =>
    command('ApprovePreliminaryDesign', { opinion: '批复', approvedEstimateFen }),
  assign: () => command('AssignResponsibility', { implementingBody: '信息中心', responsiblePerson: '赵六' }),
  engage: () => command('EngageSupervisionUnit', { supervisionUnit: '某监理公司', contractRef: 'ct-1' }),
  start: (startedOn = '2026-01-10') => command('StartConstruction', { startedOn }),
  complete: (completedOn = '2026-08-31', surplusFen = 0) =>
    command('CompleteConstruction', { completedOn, surplusFen }),
  agreePlan: () => command('AgreeAcceptancePlan', { method: '会议验收', experts: ['专家甲'], materials: ['全部'] }),
  archive: (passed = true) => command('RecordArchiveAcceptance', { passed, opinion: '档案' }),
  accept: (
    materials: Partial<AcceptanceMaterials> = MATERIALS,
    passed = true,
    keyContent: Partial<AcceptanceKeyContent> = KEY_CONTENT,
  ) => command('RecordAcceptance', { passed, opinion: '验收', materials, keyContent }),
  order: (rectificationId = 'r-1', deadline = '2026-12-31') =>
    command('OrderRectification', { rectificationId, findings: ['未共享数据'], deadline, article: '第二十四条' }),
  report: (year: number, over: Partial<DataOf<'SubmitPerformanceReport'>> = {}) =>
    command('SubmitPerformanceReport', {
      year,
      progressPercent: 50,
      investmentExecutedFen: 100_000_000,
      userOpinions: '满意',
      supervisionOpinion: '良好',
      ...over,
    }),
  adjust: (amountFen: number, newTotalFen = 300_000_000, over: Partial<DataOf<'FileAdjustment'>> = {}) =>
    command('FileAdjustment', {
      reason: 'TECHNICAL_OPTIMIZATION',
      amountFen,
      newTotalFen,
      objectivesUnchanged: true,
      description: '优化',
      ...over,
    }),
};

/** Runs commands through the real decider and returns the events: histories stay valid by construction. */
export function play(commands: ProjectCommand[], events: ProjectEvent[] = []): ProjectEvent[] {
  const all = [...events];
  for (const cmd of commands) {
    const state = fold(projectDecider, all);
    for (const { type, data } of projectDecider.decide(cmd, state)) all.push({ type, data } as ProjectEvent);
  }
  return all;
}

const early = <C extends ProjectCommand>(cmd: C) => at(EARLY, cmd);

export const H = {
  registered: (over: Partial<DataOf<'RegisterProject'>> = {}) => play([early(c.register(over))]),
  approved: (estimateFen = 300_000_000, over: Partial<DataOf<'RegisterProject'>> = {}) =>
    play(
      [
        c.submitProposal(),
        c.approveProposal(),
        c.submitFeasibility(),
        c.reviewSharing(),
        c.approveFeasibility(),
        c.submitDesign(estimateFen),
        c.reviewDesign(estimateFen),
        c.approveDesign(estimateFen),
      ].map(early),
      H.registered(over),
    ),
  ready: (estimateFen = 300_000_000) => play([c.assign(), c.engage()].map(early), H.approved(estimateFen)),
  underConstruction: (estimateFen = 300_000_000, startedOn = '2026-01-10') =>
    play([at('2026-01-10T10:00:00+08:00', c.start(startedOn))], H.ready(estimateFen)),
  completed: (completedOn = '2026-08-31', surplusFen = 0) =>
    play([at('2026-09-01T10:00:00+08:00', c.complete(completedOn, surplusFen))], H.underConstruction()),
  accepted: () =>
    play(
      [c.agreePlan(), c.archive(), c.accept()].map((x) => at('2026-10-01T10:00:00+08:00', x)),
      H.completed(),
    ),
};

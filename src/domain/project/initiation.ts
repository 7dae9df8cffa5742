/**
 * 立项: registering the project plan (第二条, 第五条, 第九条), a cross-department part
 * (第七条) and the fast track that skips the proposal (第六条).
 */
import { yearOf } from '../calendar';
import { DecisionContext, EventDefinition } from '../definitions';
import { RegisterProject } from '../project-commands';
import { ProjectEventOf } from '../project-events';
import { CrossDepartment, CrossDepartmentPart, FAST_TRACK_REASONS, FastTrack, FrameworkFacts } from '../project-values';
import { defineRules, refusal } from '../rule';
import { BEFORE_ANY_DECISION, SHARED_RULES, SharedRuleCode, requireFen } from '../shared';
import { hasVisibleText } from '../text';
import { ConstructionBanCode, requireNoConstructionBan } from './compliance';
import { RegistrationDefinition } from './guards';

const FAST_TRACK = '第六条';
const CROSS_DEPARTMENT = '第七条';
const PLAN = '第五条';

export const initiationRules = defineRules({
  PROJECT_EXISTS: { kind: 'CONFLICT', article: '第九条', zh: '项目已登记', en: 'project is already registered' },
  DEPARTMENT_MISMATCH: {
    kind: 'FORBIDDEN',
    article: '第三条、第七条',
    zh: '项目所属部门须为申报部门（跨部门项目须为牵头或参建部门）',
    en: 'the project’s department must be the caller’s (lead or participant for cross-department projects)',
  },
  PLAN_YEAR_OUT_OF_RANGE: {
    kind: 'RULE_VIOLATION',
    article: PLAN,
    zh: '项目计划年度须为本年度或下一年度',
    en: 'the plan year must be this year or next',
  },
  CROSS_DEPARTMENT_INVALID: {
    kind: 'RULE_VIOLATION',
    article: CROSS_DEPARTMENT,
    zh: '跨部门项目须有牵头部门、参建部门及统一框架方案',
    en: 'cross-department projects need a lead, distinct participants and a joint framework plan',
  },
  FRAMEWORK_NOT_ON_FILE: {
    kind: 'RULE_VIOLATION',
    article: CROSS_DEPARTMENT,
    zh: '跨部门项目须属于列有本部门的统一框架方案',
    en: 'a cross-department part names a framework that lists the department (an unknown one is not on file)',
  },
  FRAMEWORK_NOT_ACKNOWLEDGED: {
    kind: 'RULE_VIOLATION',
    article: CROSS_DEPARTMENT,
    zh: '框架方案确定后，各部门方可申请建设本部门参建内容',
    en: 'a department applies for its part only once the office has acknowledged the framework',
  },
  FAST_TRACK_NOT_URGENT: {
    kind: 'RULE_VIOLATION',
    article: FAST_TRACK,
    zh: '直接编报可研须情况紧急',
    en: 'fast track requires urgency',
  },
  FAST_TRACK_OVER_LIMIT: {
    kind: 'RULE_VIOLATION',
    article: FAST_TRACK,
    zh: '直接编报可研须项目总资金小于500万元',
    en: 'fast track requires total funds below 5,000,000 yuan',
  },
  FAST_TRACK_DEPTH_NOT_MET: {
    kind: 'RULE_VIOLATION',
    article: FAST_TRACK,
    zh: '直接编报可研须前期工作深度达到规定要求',
    en: 'fast track requires the preliminary work depth to be met',
  },
  FAST_TRACK_EVIDENCE_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: FAST_TRACK,
    zh: '直接编报可研须附市委市政府明确要求或特殊原因的文件依据',
    en: 'a fast track must carry the document of the city’s requirement or of the special reason',
  },
  FAST_TRACK_REASON_INVALID: {
    kind: 'RULE_VIOLATION',
    article: FAST_TRACK,
    zh: '直接编报可研须市委市政府明确要求或重大战略、安全等特殊原因',
    en: 'fast track requires a city requirement, major strategy or security reason',
  },
});
const R = initiationRules;

/** Every way a fast track can fail, in the order checkFastTrack names them. */
export const FAST_TRACK_REFUSALS = [
  'FAST_TRACK_REASON_INVALID',
  'FAST_TRACK_NOT_URGENT',
  'FAST_TRACK_OVER_LIMIT',
  'FAST_TRACK_DEPTH_NOT_MET',
] as const;

/** 第六条 fast track: every condition must hold; the refusal names the first that fails. */
export function checkFastTrack(fastTrack: FastTrack, totalFen: number, ctx: DecisionContext): void {
  if (!FAST_TRACK_REASONS.includes(fastTrack.reason))
    throw refusal(R.FAST_TRACK_REASON_INVALID, { reason: fastTrack.reason });
  if (fastTrack.urgent !== true) throw refusal(R.FAST_TRACK_NOT_URGENT);
  checkFastTrackCeiling(totalFen, ctx);
  if (fastTrack.depthMet !== true) throw refusal(R.FAST_TRACK_DEPTH_NOT_MET);
}

/** 第六条 项目总资金小于500万: strictly below the ceiling of the policy in force. */
export function checkFastTrackCeiling(totalFen: number, ctx: DecisionContext): void {
  if (!(totalFen < ctx.policy.fastTrackCeilingFen)) {
    throw refusal(R.FAST_TRACK_OVER_LIMIT, { totalFen, ceilingFen: ctx.policy.fastTrackCeilingFen });
  }
}

/**
 * 第七条 框架方案确定后，各部门按照项目管理要求申请建设本部门参建内容: the part names an acknowledged
 * framework that lists the department (lead or participant). A framework the department is not in
 * answers as an unknown one (docs/api.md "Visibility"): both are not on file for it. The lead and
 * participants recorded are the framework's; stated by the client, they must be the same.
 */
function crossDepartmentOf(
  part: CrossDepartmentPart,
  framework: FrameworkFacts | null | undefined,
  department: string,
): CrossDepartment {
  const listed = framework && (framework.leadDepartment === department || framework.participants.includes(department));
  if (!framework || !listed) throw refusal(R.FRAMEWORK_NOT_ON_FILE, { frameworkId: part.frameworkId });
  if (!framework.acknowledged) throw refusal(R.FRAMEWORK_NOT_ACKNOWLEDGED, { frameworkId: part.frameworkId });
  const sameLead = part.leadDepartment === undefined || part.leadDepartment === framework.leadDepartment;
  const stated = part.participants;
  const sameParticipants =
    stated === undefined ||
    (stated.length === framework.participants.length && stated.every((p) => framework.participants.includes(p)));
  if (!sameLead || !sameParticipants) {
    throw refusal(R.CROSS_DEPARTMENT_INVALID, {
      crossDepartment: part,
      framework: { leadDepartment: framework.leadDepartment, participants: framework.participants },
    });
  }
  return {
    leadDepartment: framework.leadDepartment,
    participants: framework.participants,
    frameworkId: part.frameworkId,
  };
}

/**
 * 第五条 project plan; 第七条 cross-department parts; 第九条 the catalogue entry. The estimate's
 * match with the budget's 一上 cannot be checked here (the budget is not in this system): the
 * annual plan's budget feedback records finance's side.
 */
export const RegisterProjectDefinition: RegistrationDefinition<
  RegisterProject,
  SharedRuleCode | keyof typeof initiationRules | ConstructionBanCode
> = {
  roles: ['CONSTRUCTION_UNIT'],
  articles: '第二条、第五条、第七条、第九条',
  route: '/projects',
  creates: true,
  refusals: [
    ...BEFORE_ANY_DECISION,
    'PROJECT_EXISTS',
    'CROSS_DEPARTMENT_INVALID',
    'DEPARTMENT_MISMATCH',
    'FRAMEWORK_NOT_ON_FILE',
    'FRAMEWORK_NOT_ACKNOWLEDGED',
    'PLAN_YEAR_OUT_OF_RANGE',
    'INVALID_AMOUNT',
    ...FAST_TRACK_REFUSALS,
    'FAST_TRACK_EVIDENCE_REQUIRED',
    'CONSTRUCTION_BANNED',
  ],
  decide(command, state, ctx) {
    if (state.status !== null) throw refusal(R.PROJECT_EXISTS, { projectId: command.data.projectId });
    const d = command.data;
    const part = d.crossDepartment ?? null;
    // 第七条: since frameworks are a record of their own, a part names one (the free frameworkPlanRef
    // of older registrations is no longer taken).
    if (part && !hasVisibleText(part.frameworkId)) throw refusal(R.CROSS_DEPARTMENT_INVALID, { crossDepartment: part });
    if (d.departmentCode !== ctx.actor.department) {
      throw refusal(R.DEPARTMENT_MISMATCH, {
        departmentCode: d.departmentCode,
        callerDepartment: ctx.actor.department ?? null,
      });
    }
    const cross = part ? crossDepartmentOf(part, d.framework, d.departmentCode) : null;
    // 第五条 提出下一年度项目计划: next year's plan, or this year's while it is still being drawn up
    // (the annual plan of the year is adopted during it); a past year or one further ahead is no plan.
    // 第二十四条 不得新建、改建、扩建: a continuation (续建) builds nothing new and is not banned.
    if (d.nature !== 'CONTINUATION') requireNoConstructionBan(d.departmentCode, d.underBan);
    const thisYear = yearOf(ctx.today);
    if (!Number.isInteger(d.planYear) || (d.planYear !== thisYear && d.planYear !== thisYear + 1)) {
      throw refusal(R.PLAN_YEAR_OUT_OF_RANGE, { planYear: d.planYear, allowed: [thisYear, thisYear + 1] });
    }
    requireFen(d.estimateFen, 'estimateFen', SHARED_RULES.INVALID_AMOUNT, { positive: true });
    if (d.fastTrack) {
      checkFastTrack(d.fastTrack, d.estimateFen, ctx);
      // 第六条(一) at registration only: fast tracks stored before the evidence was asked for stay valid.
      if (!hasVisibleText(d.fastTrack.evidenceRef)) throw refusal(R.FAST_TRACK_EVIDENCE_REQUIRED);
    }
    return [
      {
        type: 'ProjectRegistered',
        data: {
          projectId: d.projectId,
          name: d.name,
          category: d.category,
          departmentCode: d.departmentCode,
          planYear: d.planYear,
          nature: d.nature,
          estimateFen: d.estimateFen,
          basis: d.basis,
          schedule: d.schedule,
          cloudResources: d.cloudResources,
          dataSharing: d.dataSharing,
          networkNeeds: d.networkNeeds,
          omGuarantee: d.omGuarantee,
          followsMasterPlan: d.followsMasterPlan,
          crossDepartment: cross,
          fastTrack: d.fastTrack ?? null,
          ...(hasVisibleText(d.financeLibraryId) ? { financeLibraryId: d.financeLibraryId } : {}),
          registeredOn: ctx.today,
        },
      },
    ];
  },
};

export const initiationEvents: { ProjectRegistered: EventDefinition<ProjectEventOf<'ProjectRegistered'>> } = {
  ProjectRegistered: {
    label: '项目计划已登记',
    family: '立项',
    article: '第二条、第五条、第九条',
    /** A fast track adds 第六条, a cross-department part 第七条, in article order. */
    articleOf(event) {
      const extra = [event.data.fastTrack ? FAST_TRACK : null, event.data.crossDepartment ? CROSS_DEPARTMENT : null];
      return ['第二条', '第五条', ...extra.filter((a) => a !== null), '第九条'].join('、');
    },
  },
};

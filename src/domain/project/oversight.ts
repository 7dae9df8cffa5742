/**
 * 整改 and sanctions: rectification ordered with a deadline, reported and verified (第二十七条),
 * criticism and deferred investment (第二十七条, 第三十条), suspension and termination
 * (第十八条, 第二十七条). Where DOMAIN.md is silent: rectification may be ordered whenever the
 * project lives, suspended included (supervision does not stop), and open rectifications may be
 * closed even after rejection; criticism and deferral may also follow a rejection (e.g. fraud);
 * a suspended project accepts only resume, rectification and termination; terminated, nothing.
 */
import { isAfter } from '../calendar';
import { AWAITING_ACCEPTANCE, LIVE, NOT_TERMINATED, PRE_COMPLETION } from '../project-status';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, recordedBy, requireDate } from '../shared';
import { hasVisibleText } from '../text';
import { ProjectCommandDefinitions, ProjectEventDefinitions, present, requireStatus } from './guards';
import { RegisteredProject, Rectification } from './state';

const RECTIFICATION = '第二十七条';
const SANCTIONS = '第二十七条、第三十条';
const SUSPENSION = '第十八条、第二十七条';
/** 第十八条 incidents are among what an order answers. */
const ORDER = SUSPENSION;

export const oversightRules = defineRules({
  FINDINGS_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '整改通知须列明问题',
    en: 'a rectification order lists its findings',
  },
  DEADLINE_NOT_IN_FUTURE: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '整改期限须晚于今日',
    en: 'the rectification deadline must be after today',
  },
  RECTIFICATION_EXISTS: {
    kind: 'CONFLICT',
    article: RECTIFICATION,
    zh: '整改编号已存在',
    en: 'a rectification with this id exists',
  },
  RECTIFICATION_NOT_FOUND: {
    kind: 'NOT_FOUND',
    article: RECTIFICATION,
    zh: '整改事项不存在',
    en: 'no such rectification',
  },
  RECTIFICATION_NOT_OPEN: {
    kind: 'INVALID_STATE',
    article: RECTIFICATION,
    zh: '整改事项不处于待整改状态',
    en: 'the rectification is not awaiting a report',
  },
  RECTIFICATION_NOT_SUBMITTED: {
    kind: 'INVALID_STATE',
    article: RECTIFICATION,
    zh: '整改报告尚未提交',
    en: 'no rectification report awaits verification',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof oversightRules;
const R = oversightRules;
const DEADLINE_DATE = citing(SHARED_RULES.INVALID_DATE, RECTIFICATION);

export function findRectification(state: RegisteredProject, rectificationId: string): Rectification {
  const rectification = state.rectifications[rectificationId];
  if (!rectification) throw refusal(R.RECTIFICATION_NOT_FOUND, { rectificationId });
  return rectification;
}

/** Awaiting a report: ordered, or its last report was not accepted. */
export function awaitsReport(rectification: Rectification): boolean {
  return rectification.status === 'OPEN' || rectification.status === 'REJECTED';
}

export const oversightCommands: ProjectCommandDefinitions<
  | 'OrderRectification'
  | 'SubmitRectification'
  | 'VerifyRectification'
  | 'CriticizeProject'
  | 'DeferInvestment'
  | 'SuspendProject'
  | 'ResumeProject'
  | 'TerminateProject',
  Code
> = {
  /** 第十八条、第二十七条 限期整改: findings and a deadline after today. */
  OrderRectification: {
    roles: ['OFFICE', 'SUPERVISOR'],
    articles: ORDER,
    route: 'order-rectification',
    accepts: [...LIVE, 'SUSPENDED'],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'RECTIFICATION_EXISTS',
      'FINDINGS_REQUIRED',
      'INVALID_DATE',
      'DEADLINE_NOT_IN_FUTURE',
    ],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const d = command.data;
      if (state.rectifications[d.rectificationId])
        throw refusal(R.RECTIFICATION_EXISTS, { rectificationId: d.rectificationId });
      // A blank line is no finding: each one the unit must rectify says something.
      if (!Array.isArray(d.findings) || d.findings.length === 0 || !d.findings.every(hasVisibleText))
        throw refusal(R.FINDINGS_REQUIRED);
      const deadline = requireDate(d.deadline, 'deadline', DEADLINE_DATE);
      if (!isAfter(deadline, ctx.today)) throw refusal(R.DEADLINE_NOT_IN_FUTURE, { deadline, today: ctx.today });
      return [
        {
          type: 'RectificationOrdered',
          data: {
            projectId: d.projectId,
            rectificationId: d.rectificationId,
            findings: d.findings,
            deadline,
            // the article the finding rests on (e.g. 第二十四条); the order itself always 第二十七条
            article: d.article || RECTIFICATION,
            orderedBy: recordedBy(ctx.actor),
            orderedOn: ctx.today,
          },
        },
      ];
    },
  },
  /** A report answers an open order or one whose previous report was not accepted. */
  SubmitRectification: {
    roles: ['CONSTRUCTION_UNIT'],
    articles: RECTIFICATION,
    route: 'submit-rectification',
    accepts: NOT_TERMINATED,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'RECTIFICATION_NOT_FOUND', 'RECTIFICATION_NOT_OPEN'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const r = findRectification(state, command.data.rectificationId);
      if (!awaitsReport(r)) {
        throw refusal(R.RECTIFICATION_NOT_OPEN, { rectificationId: r.rectificationId, rectificationStatus: r.status });
      }
      return [
        {
          type: 'RectificationSubmitted',
          data: {
            projectId: command.data.projectId,
            rectificationId: r.rectificationId,
            report: command.data.report,
            submittedOn: ctx.today,
            late: isAfter(ctx.today, r.deadline),
          },
        },
      ];
    },
  },
  /** 第二十七条 整改后仍不符合要求: a rejected report reopens the order for a new report. */
  VerifyRectification: {
    roles: ['OFFICE', 'SUPERVISOR'],
    articles: RECTIFICATION,
    route: 'verify-rectification',
    accepts: NOT_TERMINATED,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', 'RECTIFICATION_NOT_FOUND', 'RECTIFICATION_NOT_SUBMITTED'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const r = findRectification(state, command.data.rectificationId);
      if (r.status !== 'SUBMITTED') {
        throw refusal(R.RECTIFICATION_NOT_SUBMITTED, {
          rectificationId: r.rectificationId,
          rectificationStatus: r.status,
        });
      }
      const { projectId, opinion } = command.data;
      const rectificationId = r.rectificationId;
      return command.data.passed
        ? [{ type: 'RectificationVerified', data: { projectId, rectificationId, opinion, verifiedOn: ctx.today } }]
        : [
            {
              type: 'RectificationRejected',
              data: { projectId, rectificationId, opinion, rejectedOn: ctx.today, deadline: r.deadline },
            },
          ];
    },
  },
  /**
   * Sanctions (第二十七条, 第三十条). They are not conditioned on an overdue rectification
   * because 第三十条 lets them follow other violations (skipped approval, fraud, waste).
   */
  CriticizeProject: {
    roles: ['OFFICE'],
    articles: SANCTIONS,
    route: 'criticize',
    accepts: [...LIVE, 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      const criticismCount = state.oversight.criticisms + 1;
      return [{ type: 'ProjectCriticized', data: { projectId, reason, criticismCount, criticizedOn: ctx.today } }];
    },
  },
  DeferInvestment: {
    roles: ['OFFICE'],
    articles: SANCTIONS,
    route: 'defer-investment',
    accepts: [...LIVE, 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      return [{ type: 'InvestmentDeferred', data: { projectId, reason, deferredOn: ctx.today } }];
    },
  },
  SuspendProject: {
    roles: ['OFFICE'],
    articles: SUSPENSION,
    route: 'suspend',
    accepts: [...PRE_COMPLETION, ...AWAITING_ACCEPTANCE],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      const previousStatus = requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      return [{ type: 'ProjectSuspended', data: { projectId, reason, previousStatus, suspendedOn: ctx.today } }];
    },
  },
  /** Resume returns to the status the project had when suspended. */
  ResumeProject: {
    roles: ['OFFICE'],
    articles: SUSPENSION,
    route: 'resume',
    accepts: ['SUSPENDED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const resumedStatus = present(state.statusBeforeSuspension, state, ctx);
      const { projectId, reason } = command.data;
      return [{ type: 'ProjectResumed', data: { projectId, reason, resumedStatus, resumedOn: ctx.today } }];
    },
  },
  TerminateProject: {
    roles: ['OFFICE', 'LEADING_GROUP'],
    articles: RECTIFICATION,
    route: 'terminate',
    accepts: NOT_TERMINATED.filter((s) => s !== 'ASSET_REGISTERED'),
    refusals: [...ON_A_PROJECT, 'INVALID_STATE'],
    decide(command, state, ctx) {
      const previousStatus = requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      return [{ type: 'ProjectTerminated', data: { projectId, reason, previousStatus, terminatedOn: ctx.today } }];
    },
  },
};

export const oversightEvents: ProjectEventDefinitions<
  | 'RectificationOrdered'
  | 'RectificationSubmitted'
  | 'RectificationVerified'
  | 'RectificationRejected'
  | 'ProjectCriticized'
  | 'InvestmentDeferred'
  | 'ProjectSuspended'
  | 'ProjectResumed'
  | 'ProjectTerminated'
> = {
  RectificationOrdered: {
    label: '已责令限期整改',
    family: '整改',
    article: RECTIFICATION,
    /** The order cites the finding's article too (e.g. 第二十四条、第二十七条). */
    articleOf(event) {
      const cited = event.data.article;
      return cited && !cited.includes(RECTIFICATION) ? `${cited}、${RECTIFICATION}` : RECTIFICATION;
    },
  },
  RectificationSubmitted: { label: '整改报告已报送', family: '整改', article: RECTIFICATION },
  RectificationVerified: { label: '整改已核验通过', family: '整改', article: RECTIFICATION },
  RectificationRejected: { label: '整改核验未通过', family: '整改', article: RECTIFICATION },
  ProjectCriticized: { label: '通报批评', family: '整改', article: SANCTIONS },
  InvestmentDeferred: { label: '暂缓安排投资计划', family: '整改', article: RECTIFICATION },
  ProjectSuspended: { label: '暂停项目建设', family: '整改', article: SUSPENSION },
  ProjectResumed: { label: '恢复项目建设', family: '整改', article: SUSPENSION },
  ProjectTerminated: { label: '项目已终止', family: '整改', article: RECTIFICATION },
};

/**
 * 整改 and sanctions: rectification ordered with a deadline, reported and verified (第二十七条),
 * criticism and deferred investment (第二十七条, 第三十条), suspension and termination
 * (第十八条, 第二十七条). Where
 * DOMAIN.md is silent: rectification may be ordered whenever the project lives, suspended
 * included (supervision does not stop), and open rectifications may be closed even after
 * rejection; a suspended project accepts only resume, rectification and termination; terminated,
 * nothing. Every sanction names its basis (第二十七条 只有逾期不整改或者整改后仍不符合要求):
 * a rectification overdue (still awaiting its first report after the deadline) or rejected (its
 * last report not accepted and no newer one submitted); a suspension may rest on a 第十八条
 * incident instead (incidents.ts), a criticism on a 第三十条 violation.
 */
import { isAfter } from '../calendar';
import { LIVE, NOT_TERMINATED } from '../project-status';
import { RECTIFICATION_SUBJECTS, RecordedBasis, SanctionBasis, VIOLATIONS } from '../project-values';
import { citing, defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SHARED_RULES, SharedRuleCode, recordedBy, requireDate } from '../shared';
import { hasVisibleText } from '../text';
import {
  ProjectCommandDefinitions,
  ProjectDecisionContext,
  ProjectEventDefinitions,
  present,
  requireStatus,
} from './guards';
import { INCIDENT, SUSPENDABLE, findIncident, incidentRules, suspension } from './incidents';
import { RegisteredProject, Rectification } from './state';
import { DocumentRuleCode, submittedDocument } from './documents';

const RECTIFICATION = '第二十七条';
const SANCTIONS = '第二十七条、第三十条';
const SUSPENSION = '第十八条、第二十七条';
/** 第十八条 incidents are among what an order answers. */
const ORDER = SUSPENSION;
/** 第二十七条 finance (市财政局) orders rectification on fund use and procurement only. */
const FINANCE_SUBJECTS = ['FUND_USE', 'PROCUREMENT'];

const NUMERALS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function articleName(n: number): string {
  const tens = Math.floor(n / 10);
  return `第${tens === 0 ? '' : `${tens === 1 ? '' : NUMERALS[tens]}十`}${NUMERALS[n % 10]}条`;
}
/** The articles of the measures, 第一条 … 第三十三条: what a rectification order may cite. */
export const MEASURES_ARTICLES: readonly string[] = Array.from({ length: 33 }, (_, i) => articleName(i + 1));

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
  ARTICLE_NOT_IN_MEASURES: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '整改所依据的条款须为本办法第一条至第三十三条（多条以“、”分隔）',
    en: 'the article cited is one of the measures’ articles 第一条…第三十三条 (several joined by 、)',
  },
  RECTIFICATION_SUBJECT_UNKNOWN: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '整改事项类别无效',
    en: 'the rectification subject is one of FUND_USE, PROCUREMENT, OTHER',
  },
  FINANCE_FUNDS_ONLY: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '市财政局只能就资金使用和采购责令整改',
    en: 'finance orders rectification on fund use (FUND_USE) or procurement (PROCUREMENT) only',
  },
  NOT_THE_ORDERER: {
    kind: 'FORBIDDEN',
    article: RECTIFICATION,
    zh: '市财政局只能核验其责令的整改',
    en: 'finance verifies only the rectifications it ordered',
  },
  SANCTION_BASIS_REQUIRED: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '处理须载明所依据的逾期或不合格的整改（暂停可依据重大问题报告，通报批评可依据第三十条所列情形）',
    en:
      'a sanction names exactly one basis it may rest on: a rectification ' +
      '(or an incident for a suspension, a violation for a criticism)',
  },
  SANCTION_BASIS_NOT_FOUND: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '处理所依据的整改事项或重大问题报告不存在',
    en: 'the rectification or incident the sanction names does not exist on this project',
  },
  RECTIFICATION_NOT_OVERDUE_OR_REJECTED: {
    kind: 'RULE_VIOLATION',
    article: RECTIFICATION,
    zh: '只有逾期不整改或者整改后仍不符合要求的，方可通报批评、暂缓安排投资计划、暂停或终止项目',
    en: 'a sanction rests on a rectification that is overdue or whose report was rejected',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof oversightRules | keyof typeof incidentRules | DocumentRuleCode;
const R = oversightRules;
/** What a sanction without a valid basis meets (第二十七条). */
const BASIS_REFUSALS = [
  'SANCTION_BASIS_REQUIRED',
  'SANCTION_BASIS_NOT_FOUND',
  'RECTIFICATION_NOT_OVERDUE_OR_REJECTED',
] as const satisfies readonly Code[];
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

/** 第二十七条 cites one article or several joined by 、, each one of the measures', none twice. */
function requireArticles(article: string): string {
  const cited = article.split('、').map((a) => a.trim());
  if (cited.some((a) => !MEASURES_ARTICLES.includes(a)) || new Set(cited).size !== cited.length)
    throw refusal(R.ARTICLE_NOT_IN_MEASURES, { article, articles: `${MEASURES_ARTICLES[0]}…第三十三条` });
  return cited.join('、');
}

type BasisKind = keyof SanctionBasis;

/**
 * The basis a sanction rests on (第二十七条), one of the kinds it `allows`; every refusal cites the
 * sanction's own articles. A rectification counts when overdue (still OPEN after its deadline: a
 * report submitted late awaits its verification first) or REJECTED (its last report not accepted).
 */
function requireBasis(
  basis: SanctionBasis | undefined,
  allows: readonly BasisKind[],
  state: RegisteredProject,
  ctx: ProjectDecisionContext,
): RecordedBasis {
  const articles = ctx.command.articles;
  const named =
    basis && typeof basis === 'object'
      ? (Object.keys(basis) as BasisKind[]).filter((k) => basis[k] !== undefined && basis[k] !== null)
      : [];
  const kind = named[0];
  if (named.length !== 1 || !allows.includes(kind))
    throw refusal(citing(R.SANCTION_BASIS_REQUIRED, articles), { allowed: allows, named });
  if (basis?.violation !== undefined) {
    if (!VIOLATIONS.includes(basis.violation))
      throw refusal(citing(R.SANCTION_BASIS_REQUIRED, '第三十条'), { violation: basis.violation, allowed: VIOLATIONS });
    return { violation: basis.violation };
  }
  if (basis?.incidentId !== undefined) {
    const incident = findIncident(state, basis.incidentId);
    if (!incident) throw refusal(citing(R.SANCTION_BASIS_NOT_FOUND, INCIDENT), { incidentId: basis.incidentId });
    if (incident.decision !== null && incident.decision !== 'SUSPEND')
      throw refusal(incidentRules.INCIDENT_DECIDED_OTHERWISE, {
        incidentId: incident.incidentId,
        decision: incident.decision,
      });
    return { incidentId: incident.incidentId };
  }
  const rectificationId = String(basis?.rectificationId);
  const r = state.rectifications[rectificationId];
  if (!r) throw refusal(citing(R.SANCTION_BASIS_NOT_FOUND, articles), { rectificationId });
  const overdue = r.status === 'OPEN' && isAfter(ctx.today, r.deadline);
  if (!overdue && r.status !== 'REJECTED') {
    throw refusal(citing(R.RECTIFICATION_NOT_OVERDUE_OR_REJECTED, articles), {
      rectificationId,
      rectificationStatus: r.status,
      deadline: r.deadline,
      today: ctx.today,
    });
  }
  return { rectificationId };
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
    roles: ['OFFICE', 'SUPERVISOR', 'FINANCE'],
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
      'ARTICLE_NOT_IN_MEASURES',
      'RECTIFICATION_SUBJECT_UNKNOWN',
      'FINANCE_FUNDS_ONLY',
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
      const article = d.article ? requireArticles(d.article) : RECTIFICATION;
      const subject = d.subject;
      if (subject !== undefined && !RECTIFICATION_SUBJECTS.includes(subject))
        throw refusal(R.RECTIFICATION_SUBJECT_UNKNOWN, { subject, allowed: RECTIFICATION_SUBJECTS });
      if (ctx.actor.role === 'FINANCE' && !FINANCE_SUBJECTS.includes(subject ?? ''))
        throw refusal(R.FINANCE_FUNDS_ONLY, { subject: subject ?? null, allowed: FINANCE_SUBJECTS });
      return [
        {
          type: 'RectificationOrdered',
          data: {
            projectId: d.projectId,
            rectificationId: d.rectificationId,
            findings: d.findings,
            deadline,
            // the article the finding rests on (e.g. 第二十四条); the order itself always 第二十七条
            article,
            ...(subject ? { subject } : {}),
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
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'RECTIFICATION_NOT_FOUND',
      'RECTIFICATION_NOT_OPEN',
      'DOCUMENT_KIND_MISMATCH',
    ],
    ready: (state) => Object.values(state.rectifications).some(awaitsReport),
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const r = findRectification(state, command.data.rectificationId);
      if (!awaitsReport(r)) {
        throw refusal(R.RECTIFICATION_NOT_OPEN, { rectificationId: r.rectificationId, rectificationStatus: r.status });
      }
      const { documentRef } = command.data;
      const document = submittedDocument(state, documentRef, 'RECTIFICATION');
      return [
        {
          type: 'RectificationSubmitted',
          data: {
            projectId: command.data.projectId,
            rectificationId: r.rectificationId,
            report: command.data.report,
            submittedOn: ctx.today,
            late: isAfter(ctx.today, r.deadline),
            ...(documentRef === undefined ? {} : { documentRef }),
            ...document,
          },
        },
      ];
    },
  },
  /** 第二十七条 整改后仍不符合要求: a rejected report reopens the order for a new report. */
  VerifyRectification: {
    roles: ['OFFICE', 'SUPERVISOR', 'FINANCE'],
    articles: RECTIFICATION,
    route: 'verify-rectification',
    accepts: NOT_TERMINATED,
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'RECTIFICATION_NOT_FOUND',
      'NOT_THE_ORDERER',
      'RECTIFICATION_NOT_SUBMITTED',
    ],
    ready: (state) => Object.values(state.rectifications).some((r) => r.status === 'SUBMITTED'),
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const r = findRectification(state, command.data.rectificationId);
      // the one who ordered verifies (第二十七条): finance its own fund and procurement orders
      if (ctx.actor.role === 'FINANCE' && r.orderedByRole !== 'FINANCE')
        throw refusal(R.NOT_THE_ORDERER, { rectificationId: r.rectificationId, orderedByRole: r.orderedByRole });
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
   * Sanctions (第二十七条): each rests on an overdue or rejected rectification; a criticism may
   * instead name a 第三十条 violation (skipped approval, fraud, over-estimate, poor quality, waste,
   * accident), which needs no rectification first.
   */
  CriticizeProject: {
    roles: ['OFFICE'],
    articles: SANCTIONS,
    route: 'criticize',
    accepts: [...LIVE, 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', ...BASIS_REFUSALS],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      const basis = requireBasis(command.data.basis, ['rectificationId', 'violation'], state, ctx);
      const criticismCount = state.oversight.criticisms + 1;
      return [
        { type: 'ProjectCriticized', data: { projectId, reason, criticismCount, criticizedOn: ctx.today, basis } },
      ];
    },
  },
  DeferInvestment: {
    roles: ['OFFICE'],
    articles: SANCTIONS,
    route: 'defer-investment',
    accepts: [...LIVE, 'REJECTED'],
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', ...BASIS_REFUSALS],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      const basis = requireBasis(command.data.basis, ['rectificationId'], state, ctx);
      return [{ type: 'InvestmentDeferred', data: { projectId, reason, deferredOn: ctx.today, basis } }];
    },
  },
  /** 第十八条 on an incident, 第二十七条 on a rectification. */
  SuspendProject: {
    roles: ['OFFICE'],
    articles: SUSPENSION,
    route: 'suspend',
    accepts: SUSPENDABLE,
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', ...BASIS_REFUSALS, 'INCIDENT_DECIDED_OTHERWISE'],
    decide(command, state, ctx) {
      requireStatus(state, ctx);
      const basis = requireBasis(command.data.basis, ['rectificationId', 'incidentId'], state, ctx);
      return suspension(state, ctx, command.data.reason, basis);
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
  /** 第二十七条 names the office (领导小组办公室), not the leading group, as the one who terminates. */
  TerminateProject: {
    roles: ['OFFICE'],
    articles: RECTIFICATION,
    route: 'terminate',
    accepts: NOT_TERMINATED.filter((s) => s !== 'ASSET_REGISTERED'),
    refusals: [...ON_A_PROJECT, 'INVALID_STATE', ...BASIS_REFUSALS],
    decide(command, state, ctx) {
      const previousStatus = requireStatus(state, ctx);
      const { projectId, reason } = command.data;
      const basis = requireBasis(command.data.basis, ['rectificationId'], state, ctx);
      return [
        { type: 'ProjectTerminated', data: { projectId, reason, previousStatus, terminatedOn: ctx.today, basis } },
      ];
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

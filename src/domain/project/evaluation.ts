/**
 * 第二十六条 the office evaluates the application effect (应用效果评价) of a project and gives its
 * opinion (评价考核意见); 第二十九条 the post-evaluation (项目后评价) of an accepted project. Each
 * evaluation is a record with a grade; a department's evaluations, sanctions and overdue items
 * are shown beside its projects when next year's plan is reviewed (GET /departments/:code/record).
 *
 * Reading: an application effect needs a system in use, so it is given from completion on (建成、
 * 试运行: 第十七条 already reports a trial run's results), failed acceptance included; a
 * post-evaluation looks back on a finished project, so it needs a passed acceptance (第二十九条
 * 项目后评价, DOMAIN.md "post-evaluation after acceptance"). A project may be evaluated again
 * (e.g. every year); each evaluation is kept.
 */
import { ProjectStatus } from '../project-status';
import { EVALUATION_GRADES, EVALUATION_KINDS } from '../project-values';
import { defineRules, refusal } from '../rule';
import { ON_A_PROJECT, SharedRuleCode } from '../shared';
import { ProjectCommandDefinitions, ProjectEventDefinitions, requireStatus } from './guards';

export const EVALUATION = '第二十六条、第二十九条';

/** The system is in use (built, in trial run or accepted): its application effect can be judged. */
const IN_USE: readonly ProjectStatus[] = ['COMPLETED', 'ACCEPTANCE_FAILED', 'ACCEPTED', 'ASSET_REGISTERED'];
/** Accepted: a post-evaluation looks back on the finished project. */
const ACCEPTED: readonly ProjectStatus[] = ['ACCEPTED', 'ASSET_REGISTERED'];

export const evaluationRules = defineRules({
  INVALID_EVALUATION: {
    kind: 'RULE_VIOLATION',
    article: EVALUATION,
    zh: '评价类型须为应用效果评价或项目后评价，等次须为优秀、良好、合格或不合格',
    en: 'kind is APPLICATION_EFFECT or POST_EVALUATION; grade is EXCELLENT, GOOD, PASS or FAIL',
  },
  EVALUATION_BEFORE_USE: {
    kind: 'RULE_VIOLATION',
    article: '第二十六条',
    zh: '项目建成投入使用（试运行）后方可进行应用效果评价',
    en: 'the application effect is evaluated once the system is built and in use (trial run or accepted)',
  },
  POST_EVALUATION_BEFORE_ACCEPTANCE: {
    kind: 'RULE_VIOLATION',
    article: '第二十九条',
    zh: '项目通过验收后方可进行项目后评价',
    en: 'a post-evaluation is made only after the project passed acceptance',
  },
});
/** The refusal codes this module's commands may name. */
type Code = SharedRuleCode | keyof typeof evaluationRules;
const R = evaluationRules;

export const evaluationCommands: ProjectCommandDefinitions<'EvaluateProject', Code> = {
  /**
   * 第二十六条 application effect (the system in use) and 第二十九条 post-evaluation (after
   * acceptance): the office grades the project and gives its opinion.
   */
  EvaluateProject: {
    roles: ['OFFICE'],
    articles: EVALUATION,
    route: 'evaluate',
    // Every status but TERMINATED answers with this module's codes; a terminated project is not evaluated.
    accepts: [
      'DRAFT_PLAN',
      'PROPOSAL',
      'FEASIBILITY',
      'PRELIMINARY_DESIGN',
      'APPROVED',
      'UNDER_CONSTRUCTION',
      'REJECTED',
      'SUSPENDED',
      ...IN_USE,
    ],
    refusals: [
      ...ON_A_PROJECT,
      'INVALID_STATE',
      'INVALID_EVALUATION',
      'EVALUATION_BEFORE_USE',
      'POST_EVALUATION_BEFORE_ACCEPTANCE',
    ],
    // 第二十六条 the first evaluation is of a system in use (a post-evaluation needs acceptance, later)
    ready: (state) => IN_USE.includes(state.status),
    decide(command, state, ctx) {
      const status = requireStatus(state, ctx);
      const { projectId, kind, grade, opinion } = command.data;
      if (!EVALUATION_KINDS.includes(kind) || !EVALUATION_GRADES.includes(grade))
        throw refusal(R.INVALID_EVALUATION, { kind, grade, kinds: EVALUATION_KINDS, grades: EVALUATION_GRADES });
      if (kind === 'APPLICATION_EFFECT' && !IN_USE.includes(status))
        throw refusal(R.EVALUATION_BEFORE_USE, { status, allowedFrom: IN_USE });
      if (kind === 'POST_EVALUATION' && !ACCEPTED.includes(status))
        throw refusal(R.POST_EVALUATION_BEFORE_ACCEPTANCE, { status, allowedFrom: ACCEPTED });
      return [{ type: 'ProjectEvaluated', data: { projectId, kind, grade, opinion, evaluatedOn: ctx.today } }];
    },
  },
};

export const evaluationEvents: ProjectEventDefinitions<'ProjectEvaluated'> = {
  ProjectEvaluated: {
    label: '项目已评价',
    family: '验收',
    article: EVALUATION,
    articleOf: (event) => (event.data.kind === 'POST_EVALUATION' ? '第二十九条' : '第二十六条'),
  },
};

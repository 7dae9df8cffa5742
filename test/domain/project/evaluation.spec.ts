import { projectDecider, type EvaluationGrade, type EvaluationKind, type ProjectEvent } from '../../../src/domain';
import { DeciderSpecification, stateOf } from '../decider-specification';
import { H, PID, actingAs, actors, command, outside, play } from '../fixtures';

const spec = DeciderSpecification(projectDecider);
const TODAY = '2026-11-26';
const evaluate = (kind: EvaluationKind, grade: EvaluationGrade = 'GOOD') =>
  command('EvaluateProject', { kind, grade, opinion: '系统运行平稳，应用成效明显' });
const evaluated = (kind: EvaluationKind, grade: EvaluationGrade = 'GOOD') => ({
  type: 'ProjectEvaluated' as const,
  data: { projectId: PID, kind, grade, opinion: '系统运行平稳，应用成效明显', evaluatedOn: TODAY },
});

describe('第二十六条 application effect, 第二十九条 post-evaluation', () => {
  it('an accepted project takes both kinds; each is kept in order with its article', () => {
    const accepted = H.accepted();
    spec
      .given(accepted)
      .when(evaluate('APPLICATION_EFFECT', 'EXCELLENT'))
      .thenMatches([
        { type: 'ProjectEvaluated', article: '第二十六条', data: evaluated('APPLICATION_EFFECT', 'EXCELLENT').data },
      ]);
    spec
      .given(accepted)
      .when(evaluate('POST_EVALUATION', 'FAIL'))
      .thenMatches([
        { type: 'ProjectEvaluated', article: '第二十九条', data: evaluated('POST_EVALUATION', 'FAIL').data },
      ]);
    const twice = play([evaluate('APPLICATION_EFFECT', 'PASS'), evaluate('POST_EVALUATION')], accepted);
    expect(stateOf(projectDecider, twice)).toMatchObject({
      status: 'ACCEPTED',
      evaluations: [
        { kind: 'APPLICATION_EFFECT', grade: 'PASS', evaluatedOn: TODAY },
        { kind: 'POST_EVALUATION', grade: 'GOOD', opinion: '系统运行平稳，应用成效明显', evaluatedOn: TODAY },
      ],
    });
  });

  it('the application effect is judged once the system is in use: from completion (trial run) on', () => {
    spec
      .given(H.completed())
      .when(evaluate('APPLICATION_EFFECT'))
      .then([evaluated('APPLICATION_EFFECT')]);
    spec
      .given(assetRegistered())
      .when(evaluate('APPLICATION_EFFECT'))
      .then([evaluated('APPLICATION_EFFECT')]);
    spec.given(H.underConstruction()).when(evaluate('APPLICATION_EFFECT')).thenThrows('EVALUATION_BEFORE_USE');
    spec.given(H.approved()).when(evaluate('APPLICATION_EFFECT')).thenThrows('EVALUATION_BEFORE_USE');
  });

  it('a post-evaluation needs a passed acceptance', () => {
    spec
      .given(assetRegistered())
      .when(evaluate('POST_EVALUATION'))
      .then([evaluated('POST_EVALUATION')]);
    spec.given(H.completed()).when(evaluate('POST_EVALUATION')).thenThrows('POST_EVALUATION_BEFORE_ACCEPTANCE');
    spec
      .given(H.underConstruction())
      .when(evaluate('POST_EVALUATION'))
      .thenThrows('POST_EVALUATION_BEFORE_ACCEPTANCE', 'RULE_VIOLATION');
  });

  it('refuses an unknown kind or grade, a terminated project and other roles', () => {
    const accepted = H.accepted();
    spec
      .given(accepted)
      .when(evaluate(outside<EvaluationKind>('ANNUAL')))
      .thenThrows('INVALID_EVALUATION', 'RULE_VIOLATION');
    spec
      .given(accepted)
      .when(evaluate('POST_EVALUATION', outside<EvaluationGrade>('A+')))
      .thenThrows('INVALID_EVALUATION', 'RULE_VIOLATION');
    const terminated: ProjectEvent[] = [
      ...H.underConstruction(),
      {
        type: 'ProjectTerminated',
        data: { projectId: PID, reason: '终止', previousStatus: 'UNDER_CONSTRUCTION', terminatedOn: TODAY },
      },
    ];
    spec.given(terminated).when(evaluate('APPLICATION_EFFECT')).thenThrows('INVALID_STATE', 'INVALID_STATE');
    spec
      .given(accepted)
      .when(actingAs(actors.cu, evaluate('POST_EVALUATION')))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(accepted)
      .when(actingAs(actors.finance, evaluate('POST_EVALUATION')))
      .thenThrows('ROLE_NOT_ALLOWED');
  });

  it('a project never evaluated has an empty list of evaluations', () => {
    expect(stateOf(projectDecider, H.registered())).toMatchObject({ evaluations: [] });
  });
});

function assetRegistered(): ProjectEvent[] {
  return play([command('RegisterAsset', { assetClass: 'INTANGIBLE', costFen: 1 })], H.accepted());
}

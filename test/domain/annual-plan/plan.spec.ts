import {
  Actor,
  AnnualPlanCommand,
  AnnualPlanEvent,
  annualPlanDecider,
  annualPlanStreamId,
  fold,
  projectStreamId,
} from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { NOW, actors } from '../fixtures';

const spec = DeciderSpecification(annualPlanDecider);
const YEAR = 2027;
type DataOf<T extends AnnualPlanCommand['type']> = Omit<Extract<AnnualPlanCommand, { type: T }>['data'], 'year'>;

function cmd<T extends AnnualPlanCommand['type']>(
  type: T,
  data: DataOf<T>,
  actor: Actor,
): Extract<AnnualPlanCommand, { type: T }> {
  return { type, data: { year: YEAR, ...data }, metadata: { now: NOW, actor } } as unknown as Extract<
    AnnualPlanCommand,
    { type: T }
  >;
}
const include = (projectId: string, specialCircumstance?: string) =>
  cmd('IncludeProjectInPlan', { projectId, reviewOpinion: '符合数字鄂尔多斯规划', specialCircumstance }, actors.office);
const adopt = (specialCircumstance?: string) =>
  cmd('AdoptAnnualPlan', { meetingRef: '联席会议 2026-12', specialCircumstance }, actors.leading);
const feedback = (projectId: string, inBudget: boolean, controlAmountFen: number) =>
  cmd('RecordBudgetFeedback', { projectId, inBudget, controlAmountFen }, actors.finance);

function events(commands: AnnualPlanCommand[]): AnnualPlanEvent[] {
  const all: AnnualPlanEvent[] = [];
  for (const command of commands) {
    const state = fold(annualPlanDecider, all);
    for (const { type, data } of annualPlanDecider.decide(command, state)) all.push({ type, data } as AnnualPlanEvent);
  }
  return all;
}
const TODAY = '2026-11-26';

describe('第五条 annual construction plan (年度建设计划)', () => {
  it('includes only a registered project of the plan year when the project facts are given', () => {
    const withFacts = (project: { registered: boolean; planYear: number | null }) =>
      cmd('IncludeProjectInPlan', { projectId: 'p-9', reviewOpinion: '同意', project }, actors.office);
    spec
      .given([])
      .when(withFacts({ registered: false, planYear: null }))
      .thenThrows('PROJECT_NOT_FOUND');
    spec
      .given([])
      .when(withFacts({ registered: true, planYear: YEAR - 1 }))
      .thenThrows('PLAN_YEAR_MISMATCH');
    const [event] = annualPlanDecider.decide(
      withFacts({ registered: true, planYear: YEAR }),
      annualPlanDecider.initialState(),
    );
    expect(event).toMatchObject({
      type: 'ProjectIncludedInPlan',
      data: { projectId: 'p-9', year: YEAR },
      article: '第五条',
    });
  });

  it('names streams per plan year and per project', () => {
    expect(annualPlanStreamId(2027)).toBe('annual-plan-2027');
    expect(projectStreamId('abc')).toBe('project-abc');
  });
  it('the office includes a project with its review opinion', () => {
    spec
      .given([])
      .when(include('p-1'))
      .then([
        {
          type: 'ProjectIncludedInPlan',
          data: {
            year: YEAR,
            projectId: 'p-1',
            reviewOpinion: '符合数字鄂尔多斯规划',
            includedOn: TODAY,
            afterAdoption: false,
            specialCircumstance: null,
          },
        },
      ]);
    spec
      .given(events([include('p-1')]))
      .when(include('p-1'))
      .thenThrows('ALREADY_IN_PLAN', 'CONFLICT');
  });
  it('the leading group adopts a non-empty plan', () => {
    spec
      .given(events([include('p-1'), include('p-2')]))
      .when(adopt())
      .thenMatches([
        {
          type: 'AnnualPlanAdopted',
          data: {
            year: YEAR,
            meetingRef: '联席会议 2026-12',
            projectIds: ['p-1', 'p-2'],
            adoptedOn: TODAY,
            readoption: false,
            specialCircumstance: null,
          },
          article: '第五条',
        },
      ]);
    spec.given([]).when(adopt()).thenThrows('PLAN_EMPTY');
    spec
      .given(events([include('p-1')]))
      .when({ ...adopt(), metadata: { now: NOW, actor: actors.office } })
      .thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
  });
  it('once adopted the plan is frozen: a change needs a special circumstance, recorded with who', () => {
    const adopted = events([include('p-1'), adopt()]);
    const error = spec.given(adopted).when(include('p-2')).thenThrows('PLAN_FROZEN', 'RULE_VIOLATION');
    expect(error.article).toBe('第五条');
    spec.given(adopted).when(include('p-2', '  ')).thenThrows('PLAN_FROZEN');
    spec.given(adopted).when(include('p-2', '\u200b\ufeff')).thenThrows('PLAN_FROZEN');
    spec
      .given(adopted)
      .when(include('p-2', '市政府专题会议要求'))
      .thenMatches([
        {
          type: 'ProjectIncludedInPlan',
          data: {
            afterAdoption: true,
            specialCircumstance: {
              reason: '市政府专题会议要求',
              recordedBy: { sub: 'u-off', name: '大数据局 王五', role: 'OFFICE' },
            },
          },
        },
      ]);
    spec.given(adopted).when(adopt()).thenThrows('PLAN_FROZEN');
    spec
      .given(adopted)
      .when(adopt('增补项目'))
      .thenMatches([{ type: 'AnnualPlanAdopted', data: { readoption: true } }]);
  });
  it('finance feeds back per project at 一下, with the control amount and running total', () => {
    const adopted = events([include('p-1'), include('p-2'), adopt(), feedback('p-1', true, 1_000_000)]);
    spec
      .given(adopted)
      .when(feedback('p-2', true, 2_500_000))
      .then([
        {
          type: 'BudgetFeedbackRecorded',
          data: {
            year: YEAR,
            projectId: 'p-2',
            inBudget: true,
            controlAmountFen: 2_500_000,
            recordedOn: TODAY,
            controlTotalFen: 3_500_000,
          },
        },
      ]);
    spec
      .given(adopted)
      .when(feedback('p-2', false, 0))
      .thenMatches([{ type: 'BudgetFeedbackRecorded', data: { inBudget: false, controlTotalFen: 1_000_000 } }]);
    spec
      .given(adopted)
      .when(feedback('p-2', false, 1))
      .thenThrows('BUDGET_CONTROL_INCONSISTENT');
    spec
      .given(adopted)
      .when(feedback('p-9', true, 1))
      .thenThrows('PROJECT_NOT_IN_PLAN');
    spec
      .given(adopted)
      .when(feedback('p-2', true, -1))
      .thenThrows('INVALID_AMOUNT');
    spec
      .given(events([include('p-1')]))
      .when(feedback('p-1', true, 1))
      .thenThrows('PLAN_NOT_ADOPTED');
  });
});

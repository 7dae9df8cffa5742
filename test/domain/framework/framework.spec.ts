import {
  Actor,
  FrameworkCommand,
  FrameworkEvent,
  contentKey,
  fold,
  frameworkDecider,
  frameworkInbox,
  frameworkStreamId,
} from '../../../src/domain';
import { DeciderSpecification } from '../decider-specification';
import { NOW, actors } from '../fixtures';

const spec = DeciderSpecification(frameworkDecider);
const FID = 'fw-1';
const LEAD = 'D-BIG';
const A = 'D-EDU';
const B = 'D-HEALTH';
const TODAY = '2026-11-26';
type DataOf<T extends FrameworkCommand['type']> = Omit<Extract<FrameworkCommand, { type: T }>['data'], 'frameworkId'>;

const unit = (department: string): Actor => ({
  sub: `u-${department}`,
  name: `${department} 用户`,
  role: 'CONSTRUCTION_UNIT',
  department,
});

function cmd<T extends FrameworkCommand['type']>(type: T, data: DataOf<T>, actor: Actor) {
  return { type, data: { frameworkId: FID, ...data }, metadata: { now: NOW, actor } } as unknown as Extract<
    FrameworkCommand,
    { type: T }
  >;
}

const plan = (over: Partial<DataOf<'FileFramework'>> = {}): DataOf<'FileFramework'> => ({
  name: '跨部门一网通办工程',
  participants: [A, B],
  objectives: '统一受理、数据共享',
  contentByDepartment: { [LEAD]: ['统筹平台'], [A]: ['教育数据对接'], [B]: ['卫健数据对接'] },
  dataFlows: '受理→审批→反馈',
  interfaces: '共享交换接口',
  dataCatalogue: ['人口基础信息'],
  ...over,
});
const file = (over: Partial<DataOf<'FileFramework'>> = {}, actor = unit(LEAD)) =>
  cmd('FileFramework', plan(over), actor);
const confirm = (department: string, opinion?: string) => cmd('ConfirmFramework', { opinion }, unit(department));
const acknowledge = (actor: Actor = actors.office) => cmd('AcknowledgeFramework', { opinion: '已受理' }, actor);

function events(commands: FrameworkCommand[]): FrameworkEvent[] {
  const all: FrameworkEvent[] = [];
  for (const command of commands) {
    const state = fold(frameworkDecider, all);
    for (const { type, data } of frameworkDecider.decide(command, state)) all.push({ type, data } as FrameworkEvent);
  }
  return all;
}
const filed = () => events([file()]);
const confirmedByAll = () => events([file(), confirm(A), confirm(B)]);

describe('第七条 cross-department framework (跨部门工程框架方案)', () => {
  it('names its stream framework-<id>', () => {
    expect(frameworkStreamId('abc')).toBe('framework-abc');
  });

  it('the lead (the filing department) files the framework with its participants, content, flows and catalogue', () => {
    spec
      .given([])
      .when(file())
      .thenMatches([
        {
          type: 'FrameworkFiled',
          data: {
            frameworkId: FID,
            leadDepartment: LEAD,
            participants: [A, B],
            contentByDepartment: plan().contentByDepartment,
            dataCatalogue: ['人口基础信息'],
            filedOn: TODAY,
            filedBy: { sub: `u-${LEAD}`, role: 'CONSTRUCTION_UNIT', department: LEAD },
          },
          article: '第七条',
          policy: 'ordos-2020',
        },
      ]);
    spec.given(filed()).when(file()).thenThrows('FRAMEWORK_EXISTS', 'CONFLICT');
  });

  it('only a construction unit files, confirms; only the office acknowledges', () => {
    spec.given([]).when(file({}, actors.office)).thenThrows('ROLE_NOT_ALLOWED', 'FORBIDDEN');
    spec
      .given(filed())
      .when(cmd('ConfirmFramework', {}, actors.office))
      .thenThrows('ROLE_NOT_ALLOWED');
    spec
      .given(confirmedByAll())
      .when(acknowledge(unit(LEAD)))
      .thenThrows('ROLE_NOT_ALLOWED');
  });

  it('needs at least one participant besides the lead, each once', () => {
    spec
      .given([])
      .when(file({ participants: [], contentByDepartment: {} }))
      .thenThrows('FRAMEWORK_PARTICIPANTS_INVALID');
    const onlyLead = { participants: [LEAD], contentByDepartment: { [LEAD]: ['x'] } };
    spec.given([]).when(file(onlyLead)).thenThrows('FRAMEWORK_PARTICIPANTS_INVALID');
    const twice = { participants: [A, A], contentByDepartment: { [A]: ['x'] } };
    spec.given([]).when(file(twice)).thenThrows('FRAMEWORK_PARTICIPANTS_INVALID');
    const one = { participants: [A], contentByDepartment: { [A]: ['x'] } };
    spec
      .given([])
      .when(file(one))
      .thenMatches([{ type: 'FrameworkFiled', data: { participants: [A] } }]);
  });

  it('states objectives, flows, interfaces and an initial data catalogue, with visible text', () => {
    spec
      .given([])
      .when(file({ objectives: '\u200b\u3000' }))
      .thenThrows('FRAMEWORK_INCOMPLETE');
    spec
      .given([])
      .when(file({ interfaces: ' ' }))
      .thenThrows('FRAMEWORK_INCOMPLETE');
    spec
      .given([])
      .when(file({ dataCatalogue: [] }))
      .thenThrows('FRAMEWORK_INCOMPLETE');
    spec
      .given([])
      .when(file({ dataCatalogue: ['\u200b'] }))
      .thenThrows('FRAMEWORK_INCOMPLETE');
    const blankItem = { contentByDepartment: { [A]: ['x', ' '], [B]: ['y'] } };
    spec.given([]).when(file(blankItem)).thenThrows('FRAMEWORK_INCOMPLETE');
  });

  it('content belongs to listed departments; every participant has content, the lead may only coordinate', () => {
    const stranger = { contentByDepartment: { [A]: ['x'], [B]: ['y'], 'D-ELSE': ['z'] } };
    spec.given([]).when(file(stranger)).thenThrows('FRAMEWORK_CONTENT_DEPARTMENT_UNKNOWN');
    const missing = spec
      .given([])
      .when(file({ contentByDepartment: { [A]: ['x'], [B]: [] } }))
      .thenThrows('FRAMEWORK_CONTENT_MISSING');
    expect(missing.details).toEqual({ departments: [B] });
    const leadWithout = { contentByDepartment: { [A]: ['x'], [B]: ['y'] } };
    spec
      .given([])
      .when(file(leadWithout))
      .thenMatches([{ type: 'FrameworkFiled' }]);
  });

  it('no content item under two departments, compared after normalising whitespace and width', () => {
    const overlap = { contentByDepartment: { [A]: ['统一身份认证'], [B]: ['　统一身份认证 '] } };
    const error = spec.given([]).when(file(overlap)).thenThrows('CONTENT_ITEM_CLAIMED_TWICE', 'RULE_VIOLATION');
    expect(error.article).toBe('第七条');
    expect(error.details).toEqual({ item: '　统一身份认证 ', claimedAs: '统一身份认证', departments: [A, B] });
    const latin = { contentByDepartment: { [LEAD]: ['Data  Exchange'], [A]: ['data exchange\u200b'], [B]: ['y'] } };
    spec.given([]).when(file(latin)).thenThrows('CONTENT_ITEM_CLAIMED_TWICE');
    const sameDepartment = { contentByDepartment: { [A]: ['x', 'x '], [B]: ['y'] } };
    spec.given([]).when(file(sameDepartment)).thenThrows('CONTENT_ITEM_CLAIMED_TWICE');
    const distinct = { contentByDepartment: { [A]: ['统一身份认证'], [B]: ['统一电子证照'] } };
    spec
      .given([])
      .when(file(distinct))
      .thenMatches([{ type: 'FrameworkFiled' }]);
    expect(contentKey(' Ａｂ\u3000 c\u200b ')).toBe('ab c');
  });

  it('each participant confirms once, naming who still has to', () => {
    spec
      .given(filed())
      .when(confirm(A, '同意'))
      .thenMatches([
        {
          type: 'FrameworkConfirmed',
          data: {
            frameworkId: FID,
            department: A,
            opinion: '同意',
            confirmedOn: TODAY,
            confirmedBy: { department: A, role: 'CONSTRUCTION_UNIT' },
            awaitingConfirmation: [B],
          },
          article: '第七条',
        },
      ]);
    spec
      .given(events([file(), confirm(A)]))
      .when(confirm(B))
      .thenMatches([{ type: 'FrameworkConfirmed', data: { department: B, opinion: null, awaitingConfirmation: [] } }]);
    spec
      .given(events([file(), confirm(A)]))
      .when(confirm(A))
      .thenThrows('FRAMEWORK_ALREADY_CONFIRMED', 'CONFLICT');
  });

  it('the lead does not confirm its own framework; an unlisted department or unknown id is not found', () => {
    spec.given(filed()).when(confirm(LEAD)).thenThrows('FRAMEWORK_LEAD_CONFIRMS', 'RULE_VIOLATION');
    const stranger = spec.given(filed()).when(confirm('D-ELSE')).thenThrows('FRAMEWORK_NOT_FOUND', 'NOT_FOUND');
    const unknown = spec.given([]).when(confirm(A)).thenThrows('FRAMEWORK_NOT_FOUND', 'NOT_FOUND');
    expect(stranger.details).toEqual(unknown.details);
  });

  it('the office acknowledges only once every participant has confirmed, and once', () => {
    const early = spec
      .given(events([file(), confirm(B)]))
      .when(acknowledge())
      .thenThrows('FRAMEWORK_NOT_CONFIRMED', 'RULE_VIOLATION');
    expect(early.details).toEqual({ awaitingConfirmation: [A] });
    spec
      .given(confirmedByAll())
      .when(acknowledge())
      .thenMatches([
        {
          type: 'FrameworkAcknowledged',
          data: { frameworkId: FID, opinion: '已受理', acknowledgedOn: TODAY, acknowledgedBy: { role: 'OFFICE' } },
          article: '第七条',
        },
      ]);
    const acknowledged = events([file(), confirm(A), confirm(B), acknowledge()]);
    spec.given(acknowledged).when(acknowledge()).thenThrows('FRAMEWORK_ALREADY_ACKNOWLEDGED', 'CONFLICT');
    spec.given([]).when(acknowledge()).thenThrows('FRAMEWORK_NOT_FOUND');
    // Acknowledged means every participant confirmed: a confirmation after it is a repeated one.
    spec.given(acknowledged).when(confirm(A)).thenThrows('FRAMEWORK_ALREADY_CONFIRMED');
  });

  it('folds the filing, the confirmations and the acknowledgement', () => {
    const state = fold(frameworkDecider, events([file(), confirm(A), confirm(B), acknowledge()]));
    expect(state.frameworkId).toBe(FID);
    expect(state.filed).toMatchObject({ leadDepartment: LEAD, participants: [A, B] });
    expect(Object.keys(state.confirmations)).toEqual([A, B]);
    expect(state.acknowledgement).toMatchObject({ opinion: '已受理', acknowledgedOn: TODAY });
  });
});

describe('第七条 a framework in the inbox', () => {
  const kinds = (history: FrameworkEvent[], actor: Actor) =>
    frameworkInbox(fold(frameworkDecider, history), actor, TODAY).map((i) => [i.kind, i.action]);
  it('asks each participant not yet confirmed, then the office, and no one once acknowledged', () => {
    expect(kinds(filed(), unit(A))).toEqual([['CONFIRM_FRAMEWORK', `/frameworks/${FID}/confirm`]]);
    expect(kinds(filed(), unit(LEAD))).toEqual([]);
    expect(kinds(filed(), unit('D-ELSE'))).toEqual([]);
    expect(kinds(filed(), actors.office)).toEqual([]);
    expect(kinds(events([file(), confirm(A)]), unit(A))).toEqual([]);
    expect(kinds(events([file(), confirm(A)]), unit(B))).toEqual([['CONFIRM_FRAMEWORK', `/frameworks/${FID}/confirm`]]);
    expect(kinds(confirmedByAll(), actors.office)).toEqual([
      ['ACKNOWLEDGE_FRAMEWORK', `/frameworks/${FID}/acknowledge`],
    ]);
    expect(kinds(confirmedByAll(), actors.finance)).toEqual([]);
    expect(kinds(events([file(), confirm(A), confirm(B), acknowledge()]), actors.office)).toEqual([]);
    const [item] = frameworkInbox(fold(frameworkDecider, filed()), unit(A), TODAY);
    expect(item).toMatchObject({ article: '第七条', dueOn: null, overdueDays: 0, framework: { frameworkId: FID } });
  });
});

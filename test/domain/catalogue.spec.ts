import { canReplayHistory } from '../../src/domain';
import {
  COMMAND_CATALOGUE,
  EVENT_CATALOGUE,
  FAMILIES,
  ProjectCommandType,
  canActOnProject,
  canReadProject,
  eventFamily,
  projectDecider,
} from '../../src/domain';
import { actors } from './fixtures';

describe('event catalogue (API.md families)', () => {
  it('gives every event a Chinese label, a family and an article', () => {
    for (const [type, info] of Object.entries(EVENT_CATALOGUE)) {
      expect(info.label).toMatch(/[\u4e00-\u9fff]/);
      expect(FAMILIES).toContain(info.family);
      expect(info.article).toMatch(/^第.+条$/);
      expect(eventFamily(type)).toBe(info.family);
    }
    expect(Object.keys(EVENT_CATALOGUE)).toHaveLength(43);
  });
  it('places events as API.md does', () => {
    expect(eventFamily('PreliminaryDesignApproved')).toBe('批复');
    expect(EVENT_CATALOGUE.PreliminaryDesignApproved.label).toBe('初步设计已批复');
    expect(eventFamily('PreliminaryDesignReviewed')).toBe('批复');
    expect(eventFamily('AdjustmentFiled')).toBe('调整备案');
    expect(eventFamily('AcceptanceOverdue')).toBe('验收');
    expect(eventFamily('ProjectResumed')).toBe('整改');
    expect(eventFamily('BudgetFeedbackRecorded')).toBe('立项');
    expect(eventFamily('ConstructionStarted')).toBe('建设');
    expect(eventFamily('RectificationOverdue')).toBe('整改');
    expect(eventFamily('PerformanceReportOverdue')).toBe('建设');
    expect(eventFamily('Nope')).toBeUndefined();
  });
});

describe('command catalogue (API.md roles)', () => {
  it('never lets AUDIT write, and only SYSTEM marks deadlines', () => {
    for (const [type, info] of Object.entries(COMMAND_CATALOGUE)) {
      expect(info.roles).not.toContain('AUDIT');
      expect(info.roles.includes('SYSTEM')).toBe(type.startsWith('Mark'));
      expect(info.articles).toMatch(/^第.+条$/);
    }
    expect(COMMAND_CATALOGUE.RegisterProject.creates).toBe(true);
    expect(COMMAND_CATALOGUE.TerminateProject.roles).toEqual(['OFFICE', 'LEADING_GROUP']);
    expect(COMMAND_CATALOGUE.OrderRectification.roles).toEqual(['OFFICE', 'SUPERVISOR']);
  });
  it('refuses every project command from an unlisted role before anything else', () => {
    for (const type of Object.keys(COMMAND_CATALOGUE).filter((t) => !/Plan|Budget/.test(t)) as ProjectCommandType[]) {
      const command = { type, data: { projectId: 'p' }, metadata: { now: '2026-11-26T10:00:00+08:00', actor: actors.audit } } as never;
      expect(() => projectDecider.decide(command, projectDecider.initialState())).toThrow(expect.objectContaining({ code: 'ROLE_NOT_ALLOWED', kind: 'FORBIDDEN', article: '第三条' }));
    }
  });
});

describe('第三条 who sees and acts on what', () => {
  const own = { departmentCode: 'D-EDU' };
  it('construction units act on their own department only; audit never acts', () => {
    expect(canActOnProject(actors.cu, own)).toBe(true);
    expect(canActOnProject(actors.otherCu, own)).toBe(false);
    expect(canActOnProject(actors.audit, own)).toBe(false);
    expect(canActOnProject(actors.office, own)).toBe(true);
  });
  it('construction units read own, lead or participant projects; others read all', () => {
    expect(canReadProject(actors.cu, own)).toBe(true);
    expect(canReadProject(actors.otherCu, own)).toBe(false);
    expect(canReadProject(actors.otherCu, { departmentCode: 'D-EDU', participants: ['D-HEALTH'] })).toBe(true);
    expect(canReadProject(actors.otherCu, { departmentCode: 'D-EDU', leadDepartment: 'D-HEALTH' })).toBe(true);
    expect(canReadProject(actors.audit, own)).toBe(true);
    expect(canReadProject({ sub: 'x', name: 'x', role: 'CONSTRUCTION_UNIT' }, own)).toBe(false);
  });
});

describe('who may replay a project history (第二十八条)', () => {
  const project = { departmentCode: 'D1', leadDepartment: 'D1', participants: ['D2'] };
  it.each([
    ['AUDIT', undefined, true],
    ['OFFICE', undefined, true],
    ['CONSTRUCTION_UNIT', 'D1', true],
    ['CONSTRUCTION_UNIT', 'D2', true],
    ['CONSTRUCTION_UNIT', 'D3', false],
    ['FINANCE', undefined, false],
    ['LEADING_GROUP', undefined, false],
    ['SUPERVISOR', undefined, false],
    ['GOVERNMENT', undefined, false],
  ] as const)('%s %s → %s', (role, department, allowed) => {
    expect(canReplayHistory({ sub: 's', name: 'n', role, ...(department ? { department } : {}) }, project)).toBe(allowed);
  });
});

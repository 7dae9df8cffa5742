import { canActOnProject, canReadProject, canReplayHistory } from '../../src/domain';
import { actors } from './fixtures';

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
    expect(canReplayHistory({ sub: 's', name: 'n', role, ...(department ? { department } : {}) }, project)).toBe(
      allowed,
    );
  });
});

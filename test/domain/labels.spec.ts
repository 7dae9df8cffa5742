import {
  CATEGORY_LABELS,
  labelOf,
  OBLIGATION_LABELS,
  PROJECT_STATUSES,
  ROLE_LABELS,
  ROLES,
  STATUS_LABELS,
  UNDATED_OBLIGATION_KINDS,
} from '../../src/domain';
import { CATEGORY, DEADLINE_KIND, ROLE, STATUS } from '../../web/src/i18n';

describe('Chinese labels of the domain codes (exports, printed files)', () => {
  it('name every status, role and obligation kind', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...PROJECT_STATUSES].sort());
    expect(Object.keys(ROLE_LABELS).sort()).toEqual([...ROLES].sort());
    for (const kind of ['ACCEPTANCE', 'PERFORMANCE_REPORT', 'RECTIFICATION', ...UNDATED_OBLIGATION_KINDS])
      expect(OBLIGATION_LABELS).toHaveProperty(kind);
  });

  it('say what the dashboard says: an export and the screen use the same words', () => {
    const zh = (table: Record<string, readonly string[]>) =>
      Object.fromEntries(Object.entries(table).map(([code, names]) => [code, names[0]]));
    expect(STATUS_LABELS).toEqual(zh(STATUS));
    expect(CATEGORY_LABELS).toEqual(zh(CATEGORY));
    const { SYSTEM: _system, ...people } = ROLE_LABELS;
    const { SYSTEM: _web, ...webPeople } = zh(ROLE);
    expect(people).toEqual(webPeople);
    for (const [kind, names] of Object.entries(DEADLINE_KIND))
      expect(OBLIGATION_LABELS[kind as keyof typeof OBLIGATION_LABELS]).toBe(names[0]);
  });

  it('fall back to the code for a value without a label, and to nothing for no value', () => {
    expect(labelOf(STATUS_LABELS, 'PROPOSAL')).toBe('项目建议书');
    expect(labelOf(STATUS_LABELS, 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
    expect(labelOf(STATUS_LABELS, 'toString')).toBe('toString');
    expect(labelOf(STATUS_LABELS, null)).toBe('');
  });
});

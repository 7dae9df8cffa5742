import { addCalendarMonths, localDateOf } from '../../src/domain';

describe('calendar arithmetic (第二十一条 半年内)', () => {
  it.each([
    ['2026-08-31', '2027-02-28'],
    ['2027-08-31', '2028-02-29'],
    ['2026-01-31', '2026-07-31'],
    ['2026-03-31', '2026-09-30'],
    ['2026-07-15', '2027-01-15'],
    ['2026-12-31', '2027-06-30'],
  ])('completed %s → due %s', (completedOn, due) => {
    expect(addCalendarMonths(completedOn, 6)).toBe(due);
  });
  it('reads instants as Ordos (UTC+8) dates', () => {
    expect(localDateOf('2026-12-31T16:00:00Z')).toBe('2027-01-01');
    expect(localDateOf('2026-12-31T15:59:59Z')).toBe('2026-12-31');
  });
});

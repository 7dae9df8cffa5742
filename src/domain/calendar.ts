/**
 * Calendar arithmetic for the measures' deadlines (第十七条 year end, 第二十一条 six months,
 * 第二十七条 限期整改). Dates are civil dates in Ordos (UTC+8, no daylight saving), written
 * `YYYY-MM-DD`; instants come from the server clock on each command.
 */
export type IsoDate = string;

/** China Standard Time: the measures' days are Ordos days, not UTC days. */
export const ORDOS_UTC_OFFSET_MINUTES = 8 * 60;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * An RFC 3339 instant with a `Z` or `±hh:mm` offset (`2026-05-01T00:00:00+08:00`), or a plain
 * calendar day `YYYY-MM-DD`, meaning 00:00 Ordos time (UTC+8) that day. Returns the instant as
 * RFC 3339 text, or null for anything else: ISO 8601 week dates (`2026-W01`), ordinal dates
 * (`2026-336`), local times without offset and impossible dates are refused instead of turning
 * a time filter off (Date.parse gives NaN for them; issue 11).
 */
export function parseInstant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (isIsoDate(value)) return `${value}T00:00:00+08:00`;
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return null;
  return Number.isFinite(Date.parse(value)) ? value : null;
}

/** The Ordos civil date on which an instant falls. */
export function localDateOf(instant: string): IsoDate {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO instant: ${instant}`);
  return new Date(ms + ORDOS_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parts(date: IsoDate): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function format(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Calendar months, clamped to the month's last day: 半年内 after 2026-08-31 ends on
 * 2027-02-28, not on 2027-03-03 as naive day overflow would give.
 */
export function addCalendarMonths(date: IsoDate, months: number): IsoDate {
  const [year, month, day] = parts(date);
  const zeroBased = month - 1 + months;
  const newYear = year + Math.floor(zeroBased / 12);
  const newMonth = (((zeroBased % 12) + 12) % 12) + 1;
  return format(newYear, newMonth, Math.min(day, daysInMonth(newYear, newMonth)));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = parts(date);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

export function yearOf(date: IsoDate): number {
  return parts(date)[0];
}

/** The day a yearly report falls due (第十七条: 每年年底前), from the policy's `MM-DD`. */
export function dueDateInYear(year: number, monthDay: string): IsoDate {
  return `${String(year).padStart(4, '0')}-${monthDay}`;
}

/** ISO dates compare correctly as strings; named for readability at call sites. */
export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return a > b;
}

export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return a < b;
}

import type { Lang } from './i18n';
import { formatWan } from './money';

/** fen → "1,234.56 万元" (zh) or "CNY 12.35 M" (en). */
export function money(fen: number | null | undefined, lang: Lang, digits = 2): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return '—';
  // zh: the one formatter of 万元 (money.ts), exact on the integer fen
  if (lang === 'zh') return formatWan(Math.round(fen), digits);
  const yuan = fen / 100;
  const fraction = { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return `CNY ${(yuan / 1_000_000).toLocaleString('en-US', fraction)} M`;
}

/** Short money for chart labels. */
export function moneyShort(fen: number, lang: Lang): string {
  // zh: the same 万元 formatter as everywhere, whole 万元 (charts have little room)
  if (lang === 'zh') return formatWan(Math.round(fen), 0);
  const yuan = fen / 100;
  if (yuan >= 1_000_000) return `${(yuan / 1_000_000).toFixed(1)}M`;
  return `${Math.round(yuan / 1000)}k`;
}

const TZ = 'Asia/Shanghai';

export function dateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: TZ,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function dateOnly(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${(ratio * 100).toFixed(1)}%`;
}

/** An instant → the value of <input type="datetime-local"> in Ordos time (UTC+8). */
export function toLocalInput(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return d.toISOString().slice(0, 19);
}

/** The value of <input type="datetime-local"> (Ordos time) → an instant. */
export function fromLocalInput(value: string): string {
  const withSeconds = value.length === 16 ? `${value}:00` : value;
  return new Date(`${withSeconds}+08:00`).toISOString();
}

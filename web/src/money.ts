/**
 * Amounts in 万元, exactly. The service stores fen (分, integers); people read and type 万元
 * (1 万元 = 10,000 元 = 1,000,000 分). Everything here works on integers and decimal strings, never
 * on binary floating point, so "0.07" 万元 is 70,000 分 and not 69,999.99….
 */

const FEN_PER_WAN = 1_000_000n;

/** Digits with thousands separators: "1234567" → "1,234,567". */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * fen → "1,234.56 万元": thousands separators, `digits` decimals (two by default) rounded half
 * away from zero, the unit after a space.
 */
export function formatWan(fen: number, digits = 2): string {
  if (!Number.isSafeInteger(fen)) return '—';
  const negative = fen < 0;
  const unit = 10n ** BigInt(6 - digits);
  const abs = BigInt(Math.abs(fen));
  const scaled = (abs + unit / 2n) / unit; // in 10^-digits 万元
  const base = 10n ** BigInt(digits);
  const whole = group((scaled / base).toString());
  const fraction = digits > 0 ? `.${(scaled % base).toString().padStart(digits, '0')}` : '';
  return `${negative && scaled > 0n ? '-' : ''}${whole}${fraction} 万元`;
}

export type WanParse = { ok: true; fen: number } | { ok: false; reason: 'empty' | 'format' | 'precision' | 'range' };

/**
 * A typed amount in 万元 → fen. Accepts thousands separators (, or ，), full-width digits and a
 * trailing 万元/万; at most six decimals (one fen); never negative.
 */
export function parseWan(input: string): WanParse {
  const text = input
    .replace(/[０-９．]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .replace(/万元?$/, '');
  if (text === '') return { ok: false, reason: 'empty' };
  const m = /^(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return { ok: false, reason: 'format' };
  const fraction = m[2] ?? '';
  if (fraction.length > 6) return { ok: false, reason: 'precision' };
  const fen = BigInt(m[1].replace(/[,，]/g, '')) * FEN_PER_WAN + BigInt(fraction.padEnd(6, '0') || '0');
  if (fen > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, reason: 'range' };
  return { ok: true, fen: Number(fen) };
}

/** fen → the 万元 a form field starts from: "1200", "0.07", "12.345678" (no trailing zeros, no separators). */
export function fenToWanInput(fen: number): string {
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  const whole = (abs / FEN_PER_WAN).toString();
  const fraction = (abs % FEN_PER_WAN).toString().padStart(6, '0').replace(/0+$/, '');
  return `${fen < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

const DIGIT = '零壹贰叁肆伍陆柒捌玖';
const SMALL = ['', '拾', '佰', '仟'];
const BIG = ['', '万', '亿', '万亿'];

/** One group of four digits (0–9999) in capitals, with zeros as the cheque convention writes them. */
function fourDigits(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      zero = out !== '';
    } else {
      if (zero) out += '零';
      out += DIGIT[d] + SMALL[i];
      zero = false;
    }
  }
  return out;
}

/**
 * fen → 大写金额 as written on financial documents: 120 万元 → "壹佰贰拾万元整",
 * 1,000,005.06 元 → "壹佰万零伍元零陆分". Up to 9,999 万亿元.
 */
export function amountInWords(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) return '—';
  if (fen === 0) return '零元整';
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const fenDigit = fen % 10;
  let words = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
    let pendingZero = false;
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (g === 0) {
        pendingZero = words !== '';
        continue;
      }
      // a gap inside the number (a zero group, or a group below 1000 after a higher one) reads 零
      if (words !== '' && (pendingZero || g < 1000)) words += '零';
      words += fourDigits(g) + BIG[i];
      pendingZero = false;
    }
    words += '元';
  }
  if (jiao === 0 && fenDigit === 0) return `${words}整`;
  if (jiao > 0) words += `${DIGIT[jiao]}角`;
  else if (yuan > 0) words += '零';
  if (fenDigit > 0) words += `${DIGIT[fenDigit]}分`;
  else words += '整';
  return words;
}

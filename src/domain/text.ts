/**
 * Text a unit states (an opinion, a reason, a document reference) counts only when a reader can
 * see it: a string of spaces, zero-width characters (U+200B, U+FEFF, …), controls or fillers
 * that render as blank says nothing, and the measures' "须说明", "须征求意见", "须有方案" ask
 * for something said.
 */

/**
 * Letters, digits, punctuation and symbols are visible; separators (\p{Z}, all whitespace),
 * controls (\p{Cc}), format characters (\p{Cf}: zero-width space and joiners, the BOM, bidi
 * marks, soft hyphen), lone marks, private-use, surrogate and unassigned code points are not,
 * nor the letters that render as blank (Hangul fillers U+115F, U+1160, U+3164, U+FFA0 and the
 * blank Braille pattern U+2800).
 */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const BLANK_LOOKING = /[\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Whether the value is a string with at least one visible character. */
export function hasVisibleText(value: unknown): value is string {
  return typeof value === 'string' && VISIBLE.test(value.replace(BLANK_LOOKING, ''));
}

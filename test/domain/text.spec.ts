import { hasVisibleText } from '../../src/domain';

describe('visible text (what a reader can see)', () => {
  it.each(['a', '中', '第二十四条', '-', '€', '1', ' x ', '\u200bx', '\ufeff验收'])('%j is visible', (value) => {
    expect(hasVisibleText(value)).toBe(true);
  });
  it.each([
    ['empty', ''],
    ['spaces and tabs', ' \t\r\n'],
    ['ideographic space', '\u3000'],
    ['no-break and thin spaces', '\u00a0\u2009'],
    ['zero-width space', '\u200b'],
    ['zero-width joiners', '\u200c\u200d\u2060'],
    ['byte order mark', '\ufeff'],
    ['bidi marks', '\u200e\u200f\u202e'],
    ['soft hyphen', '\u00ad'],
    ['controls', '\u0000\u0007\u001b\u007f'],
    ['Hangul filler', '\u3164'],
    ['blank Braille pattern', '\u2800'],
    ['a lone combining mark', '\u0301'],
  ])('%s is not', (_what, value) => {
    expect(hasVisibleText(value)).toBe(false);
  });
  it('is text only', () => {
    for (const value of [null, undefined, 1, ['a'], { a: 'a' }]) expect(hasVisibleText(value)).toBe(false);
  });
});

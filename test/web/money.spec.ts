import { amountInWords, fenToWanInput, formatWan, parseWan } from '../../web/src/money';

/** The dashboard's amounts: 万元 typed and shown, fen sent, 大写 on confirmation — exactly. */
describe('money in 万元 (web/src/money.ts)', () => {
  it('formats fen as 万元 with thousands separators and two decimals, rounding half up', () => {
    expect(formatWan(120_000_000)).toBe('120.00 万元');
    expect(formatWan(123_456_789_000)).toBe('123,456.79 万元');
    expect(formatWan(1_234_567_894_999)).toBe('1,234,567.89 万元');
    expect(formatWan(5_000)).toBe('0.01 万元');
    expect(formatWan(4_999)).toBe('0.00 万元');
    expect(formatWan(0)).toBe('0.00 万元');
    expect(formatWan(-2_500_000)).toBe('-2.50 万元');
    expect(formatWan(987_654_321_000, 0)).toBe('987,654 万元');
    expect(formatWan(Number.NaN)).toBe('—');
  });

  it('parses typed 万元 into integer fen without floating-point error', () => {
    expect(parseWan('120')).toEqual({ ok: true, fen: 120_000_000 });
    expect(parseWan('0.07')).toEqual({ ok: true, fen: 70_000 }); // 0.07 * 1e6 is 70000.00000000001 in floats
    expect(parseWan('1,234.56')).toEqual({ ok: true, fen: 1_234_560_000 });
    expect(parseWan(' 1，000.5 万元')).toEqual({ ok: true, fen: 1_000_500_000 });
    expect(parseWan('１２.３')).toEqual({ ok: true, fen: 12_300_000 });
    expect(parseWan('0.000001')).toEqual({ ok: true, fen: 1 });
    expect(parseWan('3.')).toEqual({ ok: true, fen: 3_000_000 });
    for (const x of ['0.1', '0.2', '0.3', '1.15', '4.35', '999999.99']) {
      const parsed = parseWan(x);
      expect(parsed.ok && fenToWanInput(parsed.fen)).toBe(x);
    }
  });

  it('refuses what is not an amount, with the reason', () => {
    expect(parseWan('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseWan('万元')).toEqual({ ok: false, reason: 'empty' });
    expect(parseWan('-5')).toEqual({ ok: false, reason: 'format' });
    expect(parseWan('1e3')).toEqual({ ok: false, reason: 'format' });
    expect(parseWan('12,34')).toEqual({ ok: false, reason: 'format' });
    expect(parseWan('1.2.3')).toEqual({ ok: false, reason: 'format' });
    expect(parseWan('0.0000001')).toEqual({ ok: false, reason: 'precision' });
    expect(parseWan('99999999999')).toEqual({ ok: false, reason: 'range' });
  });

  it('starts a field from stored fen in plain 万元', () => {
    expect(fenToWanInput(300_000_000)).toBe('300');
    expect(fenToWanInput(1_234_560_000)).toBe('1234.56');
    expect(fenToWanInput(1)).toBe('0.000001');
    expect(fenToWanInput(0)).toBe('0');
  });

  it('writes the amount in words (大写金额) as financial documents do', () => {
    expect(amountInWords(120_000_000)).toBe('壹佰贰拾万元整'); // 120 万元
    expect(amountInWords(100_000_506)).toBe('壹佰万零伍元零陆分');
    expect(amountInWords(1_000_500_000)).toBe('壹仟万伍仟元整');
    expect(amountInWords(10_000_000_100)).toBe('壹亿零壹元整');
    expect(amountInWords(101_000)).toBe('壹仟零壹拾元整');
    expect(amountInWords(1_000)).toBe('壹拾元整');
    expect(amountInWords(105)).toBe('壹元零伍分');
    expect(amountInWords(50)).toBe('伍角整');
    expect(amountInWords(123_456_789)).toBe('壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分');
    expect(amountInWords(200_003_000_000)).toBe('贰拾亿零叁万元整');
    expect(amountInWords(0)).toBe('零元整');
    expect(amountInWords(-1)).toBe('—');
  });
});

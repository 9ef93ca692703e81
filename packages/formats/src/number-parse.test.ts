import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNumber } from './number-parse.ts';

const parse = (text: string): number => {
  const bytes = Buffer.from(text, 'latin1');
  return parseNumber(bytes, 0, bytes.length);
};

describe('parseNumber', () => {
  it('agrees bit for bit with Number() on every decimal a float can print', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        for (const text of [String(value), value.toFixed(6), value.toPrecision(17), value.toExponential(3)]) {
          if (!Number.isFinite(Number(text))) continue;
          expect(Object.is(parse(text), Number(text)) || (parse(text) === 0 && Number(text) === 0)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('parses plain and signed decimals, leading zeros and a bare fraction', () => {
    expect(parse('3')).toBe(3);
    expect(parse('-0.8125')).toBe(-0.8125);
    expect(parse('+007.50')).toBe(7.5);
    expect(parse('.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse('1e-3')).toBe(0.001);
    expect(parse('0.1')).toBe(0.1);
    expect(parse('123456789012345678')).toBe(Number('123456789012345678'));
  });

  it('reads Python spellings of non-finite values as non-finite, and rejects other text', () => {
    expect(parse('nan')).toBeNaN();
    expect(parse('inf')).toBe(Infinity);
    expect(parse('-Infinity')).toBe(-Infinity);
    for (const text of ['', '-', '.', '0x1A', '1,5', '1_000', 'abc', '1e', '--1', '1.2.3'])
      expect(parse(text)).toBeNaN();
  });
});

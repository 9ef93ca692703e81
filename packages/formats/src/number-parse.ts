/**
 * Number parsing straight from bytes. The fast path covers what prediction files contain (plain
 * decimals such as `-0.8125` or `3`, up to 15 significant digits) and is exact: an integer below 2^53
 * divided by an exact power of ten is one correctly rounded IEEE operation (Clinger's fast path).
 * Anything else (exponents, long mantissas, `inf`, `nan`) falls back to `Number()` on the field text.
 */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
const MAX_FAST_DIGITS = 15;

const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_DOT = 0x2e;
const CHAR_MINUS = 0x2d;
const CHAR_PLUS = 0x2b;

/** Parses `bytes[start, end)` as a decimal number. Returns NaN when the text is not a number. */
export function parseNumber(bytes: Uint8Array, start: number, end: number): number {
  if (start >= end) return Number.NaN;
  let i = start;
  let negative = false;
  const first = bytes[i]!;
  if (first === CHAR_MINUS || first === CHAR_PLUS) {
    negative = first === CHAR_MINUS;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let sawDot = false;
  let sawDigit = false;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= CHAR_0 && c <= CHAR_9) {
      sawDigit = true;
      if (mantissa === 0 && c === CHAR_0 && !sawDot) continue; // leading zeros cost no precision
      if (digits >= MAX_FAST_DIGITS) return slowParse(bytes, start, end);
      mantissa = mantissa * 10 + (c - CHAR_0);
      if (mantissa !== 0) digits++;
      if (sawDot) fractionDigits++;
    } else if (c === CHAR_DOT && !sawDot) {
      sawDot = true;
    } else {
      return slowParse(bytes, start, end);
    }
  }
  if (!sawDigit) return Number.NaN;
  if (fractionDigits > 22) return slowParse(bytes, start, end);
  const magnitude = fractionDigits === 0 ? mantissa : mantissa / EXACT_POWERS_OF_TEN[fractionDigits]!;
  return negative ? -magnitude : magnitude;
}

// Accepts what Python's float() writes and reads for non-finite values, so that a student's
// `nan`/`inf` reaches the validator as NaN/Infinity and gets a precise message instead of "not a number".
const SPECIAL_VALUES = new Map<string, number>([
  ['nan', Number.NaN],
  ['+nan', Number.NaN],
  ['-nan', Number.NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-infinity', -Infinity],
]);

function slowParse(bytes: Uint8Array, start: number, end: number): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  const special = SPECIAL_VALUES.get(text.toLowerCase());
  if (special !== undefined) return special;
  // Number() accepts forms a CSV number should not be ("0x1A", "", "1_000" is rejected already); keep
  // decimal and exponent notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number.NaN;
  return Number(text);
}

/** True when `parseNumber` gave NaN because the text was literally a NaN spelling. */
export function isNaNLiteral(bytes: Uint8Array, start: number, end: number): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
    .toString('latin1')
    .toLowerCase();
  return text === 'nan' || text === '+nan' || text === '-nan';
}

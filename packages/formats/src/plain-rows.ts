/**
 * The fast path of a prediction file: rows written plainly as `id,value` with a plain-integer id (what
 * pandas' `to_csv(index=False)` writes for HW1, HW2, HW8, HW11). One pass over the bytes reads the
 * id's digits into its row, the value into its code or number, and stores both; no field spans, no
 * trimming, no second look at any byte. Scoring an HW2 file spent most of its time doing those.
 *
 * It only ever reads rows it is sure of and stops at the first one it is not (a quote, a space, a
 * blank line, an id it cannot find or has seen, a value it cannot read): the general reader resumes
 * at that row with the same arrays, so every rejection, message and edge case stays the general
 * reader's, and a file reads the same whichever path reads which row.
 */
import { parseNumber } from './number-parse.ts';

const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;
/**
 * canonicalInteger's rules, inlined into the scan (calling it re-read each id's digits and made the
 * read 65% slower): nine digits always fit an int32, no leading zero, nothing but digits.
 */
const MAX_DIGITS = 9;

/** Where the plain rows are stored: the same arrays the general reader fills. */
export interface PlainRowsTarget {
  /** Solution row by id value (-1 where no row has that id): IntegerIds' index. */
  readonly rowOfId: Int32Array;
  /** 1-based line each row was seen on, 0 for rows not seen yet. */
  readonly firstSeenLine: Int32Array;
  /** Label tasks: the code of each small plain-integer label by value (-1: not a label), and the codes to fill. */
  readonly labels?: { readonly codeOfValue: Int32Array; readonly codes: Int32Array };
  /** Number tasks: the values to fill. */
  readonly numbers?: Float64Array;
}

/** Where the plain rows stopped: the first row they left to the general reader, its line, and how many they read. */
export interface PlainRowsEnd {
  readonly position: number;
  readonly line: number;
  readonly rows: number;
}

/** Reads plain rows from `position` (the start of the record on `line`) until one is not plain. */
export function readPlainRows(
  bytes: Uint8Array,
  position: number,
  line: number,
  target: PlainRowsTarget,
): PlainRowsEnd {
  const { rowOfId, firstSeenLine, numbers } = target;
  const codeOfValue = target.labels?.codeOfValue;
  const codes = target.labels?.codes;
  const length = bytes.length;
  let rows = 0;
  let resumeAt = position;
  let pos = position;
  while (pos < length) {
    const rowStart = pos;
    // The id: canonical decimal digits (no sign, no leading zero), then a comma.
    let id = 0;
    let c = 0;
    while (pos < length && (c = bytes[pos]!) >= ZERO && c <= NINE) {
      id = id * 10 + (c - ZERO);
      pos++;
    }
    const digits = pos - rowStart;
    if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && bytes[rowStart] === ZERO)) break;
    if (pos >= length || c !== COMMA) break;
    const row = id < rowOfId.length ? rowOfId[id]! : -1;
    if (row < 0 || firstSeenLine[row] !== 0) break;
    pos++;

    const valueStart = pos;
    let valueEnd: number;
    if (codes !== undefined) {
      let label = 0;
      while (pos < length && (c = bytes[pos]!) >= ZERO && c <= NINE) {
        label = label * 10 + (c - ZERO);
        pos++;
      }
      valueEnd = pos;
      const labelDigits = valueEnd - valueStart;
      if (labelDigits === 0 || labelDigits > MAX_DIGITS || (labelDigits > 1 && bytes[valueStart] === ZERO)) break;
      const code = label < codeOfValue!.length ? codeOfValue![label]! : -1;
      if (code < 0) break;
      codes[row] = code;
    } else {
      // A number: up to the line end; a byte the general reader would trim or split on is not plain.
      while (
        pos < length &&
        (c = bytes[pos]!) !== LF &&
        c !== CR &&
        c !== COMMA &&
        c !== QUOTE &&
        c !== SPACE &&
        c !== TAB
      )
        pos++;
      valueEnd = pos;
      const value = parseNumber(bytes, valueStart, valueEnd);
      if (!Number.isFinite(value)) break;
      numbers![row] = value;
    }
    // The line end: LF, CRLF, or the end of the file. A lone CR (or anything else) is the general reader's.
    if (pos < length) {
      c = bytes[pos]!;
      if (c === LF) pos++;
      else if (c === CR && pos + 1 < length && bytes[pos + 1] === LF) pos += 2;
      else break;
    }
    firstSeenLine[row] = line;
    line++;
    rows++;
    resumeAt = pos;
  }
  // A row abandoned part-way may have stored its value, which the general reader, reading that row
  // again from its start, overwrites or rejects.
  return { position: resumeAt, line, rows };
}

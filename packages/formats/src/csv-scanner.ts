/**
 * An RFC 4180 record scanner over a whole Buffer. It yields byte spans, never strings, so reading a
 * 650k-row file allocates nothing per row. Accepts a UTF-8 BOM, LF and CRLF line ends, quoted fields with
 * doubled quotes and embedded newlines; skips blank lines. Reports malformed quoting with line and column.
 */
import { SubmissionRejection } from './rejection.ts';

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** The field is quoted and contains doubled quotes, so its bytes need unescaping before use. */
export const FIELD_ESCAPED = 1;
/** The field was written in quotes (`""` is a quoted empty field, unlike nothing at all). */
export const FIELD_QUOTED = 2;

export class CsvScanner {
  /** 1-based line on which the current record starts. */
  line = 0;
  /** Fields in the current record (may exceed the capacity; only the first `capacity` spans are kept). */
  fieldCount = 0;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
  private position: number;
  private nextLine = 1;

  constructor(
    readonly bytes: Uint8Array,
    readonly capacity: number,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    this.position = hasBom ? 3 : 0;
  }

  /** Advances to the next non-blank record. Returns false at the end of the input. */
  next(): boolean {
    const bytes = this.bytes;
    const length = bytes.length;
    for (;;) {
      if (this.position >= length) return false;
      const c = bytes[this.position]!;
      if (c === LF) {
        this.position++;
        this.nextLine++;
        continue;
      }
      if (c === CR && (this.position + 1 >= length || bytes[this.position + 1] === LF)) {
        this.position += this.position + 1 < length ? 2 : 1;
        this.nextLine++;
        continue;
      }
      break;
    }
    this.line = this.nextLine;
    this.fieldCount = 0;
    for (;;) {
      const fieldEndsLine = this.readField();
      if (fieldEndsLine) return true;
    }
  }

  /** Where the next record starts: its byte offset and its line. */
  get nextRecord(): { readonly position: number; readonly line: number } {
    return { position: this.position, line: this.nextLine };
  }

  /** Continues at a record boundary another reader stopped at (the offset and line it reached). */
  resumeAt(position: number, line: number): void {
    this.position = position;
    this.nextLine = line;
  }

  /** Decoded text of field `index` of the current record (unescaped, untrimmed). */
  text(index: number): string {
    const raw = Buffer.from(
      this.bytes.buffer,
      this.bytes.byteOffset + this.starts[index]!,
      this.ends[index]! - this.starts[index]!,
    ).toString('utf8');
    return (this.flags[index]! & FIELD_ESCAPED) !== 0 ? raw.replaceAll('""', '"') : raw;
  }

  /** Start of field `index` with leading spaces and tabs skipped (unquoted fields only). */
  trimmedStart(index: number): number {
    let start = this.starts[index]!;
    const end = this.ends[index]!;
    while (start < end && (this.bytes[start] === SPACE || this.bytes[start] === TAB)) start++;
    return start;
  }

  /** End of field `index` with trailing spaces and tabs dropped. */
  trimmedEnd(index: number): number {
    const start = this.starts[index]!;
    let end = this.ends[index]!;
    while (end > start && (this.bytes[end - 1] === SPACE || this.bytes[end - 1] === TAB)) end--;
    return end;
  }

  /** Reads one field; returns true when it was the last of its record. */
  private readField(): boolean {
    const bytes = this.bytes;
    const length = bytes.length;
    const slot = this.fieldCount++;
    const keep = slot < this.capacity;
    let pos = this.position;
    if (pos < length && bytes[pos] === QUOTE) {
      const fieldLine = this.nextLine;
      const contentStart = pos + 1;
      let escaped = false;
      pos = contentStart;
      for (;;) {
        if (pos >= length) {
          throw new SubmissionRejection({
            code: 'CSV_UNTERMINATED_QUOTE',
            message: `A quoted field that starts on line ${fieldLine} is never closed.`,
            line: fieldLine,
            column: slot + 1,
            expected: 'a closing double quote (")',
          });
        }
        const c = bytes[pos]!;
        if (c === QUOTE) {
          if (pos + 1 < length && bytes[pos + 1] === QUOTE) {
            escaped = true;
            pos += 2;
            continue;
          }
          break;
        }
        if (c === LF) this.nextLine++;
        pos++;
      }
      if (keep) {
        this.starts[slot] = contentStart;
        this.ends[slot] = pos;
        this.flags[slot] = FIELD_QUOTED | (escaped ? FIELD_ESCAPED : 0);
      }
      pos++; // closing quote
      if (pos < length && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) {
        throw new SubmissionRejection({
          code: 'CSV_MALFORMED_QUOTE',
          message: `Line ${this.nextLine}, column ${slot + 1}: text follows the closing quote of a quoted field.`,
          line: this.nextLine,
          column: slot + 1,
          expected: 'a comma or the end of the line after the closing quote',
        });
      }
    } else {
      const start = pos;
      while (pos < length) {
        const c = bytes[pos]!;
        if (c === COMMA || c === LF || c === CR) break;
        pos++;
      }
      if (keep) {
        this.starts[slot] = start;
        this.ends[slot] = pos;
        this.flags[slot] = 0;
      }
    }
    return this.finishField(pos);
  }

  private finishField(pos: number): boolean {
    const bytes = this.bytes;
    const length = bytes.length;
    if (pos >= length) {
      this.position = length;
      return true;
    }
    const c = bytes[pos]!;
    if (c === COMMA) {
      this.position = pos + 1;
      if (this.position >= length) {
        // "a,b," at the very end: one more, empty field.
        this.fieldCount++;
        if (this.fieldCount - 1 < this.capacity) {
          this.starts[this.fieldCount - 1] = length;
          this.ends[this.fieldCount - 1] = length;
          this.flags[this.fieldCount - 1] = 0;
        }
        return true;
      }
      return false;
    }
    // LF, CRLF, or a lone CR (classic Mac line end).
    this.position = c === CR && pos + 1 < length && bytes[pos + 1] === LF ? pos + 2 : pos + 1;
    this.nextLine++;
    return true;
  }
}

/**
 * A decoded solution.csv as bytes: the typed arrays of a SolutionTable laid end to end behind a small
 * JSON header. Parsing an HW2 solution takes ~130 ms and a fresh worker thread paid it again for every
 * task version; reading a snapshot is a copy. The snapshot is kept beside the bundle and names the
 * exact solution.csv (length and CRC-32) and reading rules it was made from, so a snapshot of another
 * file, another task.yaml, another format or a damaged one is never used: it is refused (null) and
 * the caller parses the CSV, as without one.
 *
 * Layout: "MLJSNAP" + format byte, u32 header length, the JSON header, sections each aligned to 8
 * bytes, and the CRC-32 of everything before it (u32).
 */
import { crc32 } from 'node:zlib';
import { ByteTable } from './byte-table.ts';
import type { ColumnValues, LabelVocabulary } from './column-values.ts';
import type { IdLookup } from './id-lookup.ts';
import { IntegerIds } from './integer-ids.ts';
import type { SolutionSpec, SolutionTable } from './solution-csv.ts';

const MAGIC = 'MLJSNAP';
/** Bumped whenever the layout, or the meaning of anything stored, changes (ByteTable's hash included). */
const FORMAT = 1;
const ALIGN = 8;

type Section = Uint8Array | Int32Array | Uint32Array | Float64Array;
const SECTION_TYPES = { u8: Uint8Array, i32: Int32Array, u32: Uint32Array, f64: Float64Array } as const;
type SectionType = keyof typeof SECTION_TYPES;

interface TargetHeader {
  readonly kind: ColumnValues['kind'];
  readonly classNames?: readonly string[];
}

interface SnapshotHeader {
  readonly spec: string;
  readonly source: { readonly bytes: number; readonly crc32: number };
  readonly rowCount: number;
  readonly ids: { readonly kind: 'integers'; readonly maxValue: number } | { readonly kind: 'table' };
  readonly vocabulary: { readonly closed: boolean } | null;
  readonly targets: readonly TargetHeader[];
  readonly sections: ReadonlyArray<readonly [name: string, type: SectionType, length: number]>;
}

/** The reading rules a snapshot depends on, as one comparable string. */
function specKey(spec: SolutionSpec): string {
  return JSON.stringify([spec.idColumn, spec.targetColumns, spec.targetKind, spec.labels ?? null]);
}

function typeOf(section: Section): SectionType {
  if (section instanceof Uint8Array) return 'u8';
  if (section instanceof Int32Array) return 'i32';
  if (section instanceof Uint32Array) return 'u32';
  return 'f64';
}

function tableSections(prefix: string, table: ByteTable): Array<[string, Section]> {
  const parts = table.parts();
  return [
    [`${prefix}.arena`, parts.arena],
    [`${prefix}.keyStart`, parts.keyStart],
    [`${prefix}.keyEnd`, parts.keyEnd],
    [`${prefix}.keyHash`, parts.keyHash],
    [`${prefix}.slots`, parts.slots],
  ];
}

/** Text values as one UTF-8 run and the end offset of each. */
function textSections(prefix: string, values: readonly string[], missing: Uint8Array | undefined) {
  const encoded = values.map((value) => Buffer.from(value, 'utf8'));
  const ends = new Int32Array(encoded.length);
  let end = 0;
  encoded.forEach((bytes, index) => (ends[index] = end += bytes.length));
  const sections: Array<[string, Section]> = [
    [`${prefix}.text`, Buffer.concat(encoded)],
    [`${prefix}.ends`, ends],
  ];
  if (missing) sections.push([`${prefix}.missing`, missing]);
  return sections;
}

/** The snapshot of a table read from `source` with `spec`. */
export function encodeSolutionSnapshot(table: SolutionTable, source: Uint8Array, spec: SolutionSpec): Buffer {
  const sections: Array<[string, Section]> = [['usage', table.usage]];
  let ids: SnapshotHeader['ids'];
  if (table.ids instanceof IntegerIds) {
    ids = { kind: 'integers', maxValue: table.ids.maxValue };
    sections.push(['ids.rowOf', table.ids.rowOfValue], ['ids.ids', table.ids.idOfRow]);
  } else if (table.ids instanceof ByteTable) {
    ids = { kind: 'table' };
    sections.push(...tableSections('ids', table.ids));
  } else throw new Error('solution ids of an unknown kind');
  if (table.vocabulary) sections.push(...tableSections('vocabulary', table.vocabulary.table));
  const targets = table.targets.map((target, index): TargetHeader => {
    if (target.kind === 'number') sections.push([`target${index}.values`, target.values]);
    else if (target.kind === 'label') sections.push([`target${index}.codes`, target.codes]);
    else sections.push(...textSections(`target${index}`, target.values, target.missing));
    return target.kind === 'label' ? { kind: 'label', classNames: target.classNames } : { kind: target.kind };
  });
  const header: SnapshotHeader = {
    spec: specKey(spec),
    source: { bytes: source.length, crc32: crc32(source) },
    rowCount: table.rowCount,
    ids,
    vocabulary: table.vocabulary ? { closed: table.vocabulary.closed } : null,
    targets,
    sections: sections.map(([name, section]) => [name, typeOf(section), section.length]),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = (length: number) => Math.ceil(length / ALIGN) * ALIGN;
  let size = padded(MAGIC.length + 1 + 4 + headerBytes.length);
  for (const [, section] of sections) size += padded(section.byteLength);
  const out = Buffer.alloc(size + 4);
  out.write(MAGIC, 0, 'latin1');
  out[MAGIC.length] = FORMAT;
  out.writeUInt32LE(headerBytes.length, MAGIC.length + 1);
  headerBytes.copy(out, MAGIC.length + 5);
  let offset = padded(MAGIC.length + 5 + headerBytes.length);
  for (const [, section] of sections) {
    out.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), offset);
    offset += padded(section.byteLength);
  }
  out.writeUInt32LE(crc32(out.subarray(0, size)), size);
  return out;
}

/**
 * Reads the sections back: views of the snapshot's own memory where it is aligned (a file read
 * whole is), else each copied into its own aligned array.
 */
function readSections(snapshot: Uint8Array, header: SnapshotHeader, start: number, end: number): Map<string, Section> {
  const sections = new Map<string, Section>();
  let offset = start;
  for (const [name, type, length] of header.sections) {
    const Type = (SECTION_TYPES as Partial<typeof SECTION_TYPES>)[type];
    if (!Type || !Number.isInteger(length) || length < 0) throw new Error(`section ${name} of no known shape`);
    const byteLength = length * Type.BYTES_PER_ELEMENT;
    if (offset + byteLength > end) throw new Error(`section ${name} runs past the end`);
    const at = snapshot.byteOffset + offset;
    if (at % Type.BYTES_PER_ELEMENT === 0) sections.set(name, new Type(snapshot.buffer as ArrayBuffer, at, length));
    else {
      const copy = new Type(length);
      new Uint8Array(copy.buffer).set(snapshot.subarray(offset, offset + byteLength));
      sections.set(name, copy);
    }
    offset += Math.ceil(byteLength / ALIGN) * ALIGN;
  }
  if (offset !== end) throw new Error('trailing bytes');
  return sections;
}

function sectionOf<T extends SectionType>(sections: Map<string, Section>, name: string, type: T) {
  const section = sections.get(name);
  if (!(section instanceof SECTION_TYPES[type])) throw new Error(`missing section ${name}`);
  return section as InstanceType<(typeof SECTION_TYPES)[T]>;
}

function tableOf(sections: Map<string, Section>, prefix: string): ByteTable {
  return ByteTable.fromParts({
    arena: sectionOf(sections, `${prefix}.arena`, 'u8'),
    keyStart: sectionOf(sections, `${prefix}.keyStart`, 'i32'),
    keyEnd: sectionOf(sections, `${prefix}.keyEnd`, 'i32'),
    keyHash: sectionOf(sections, `${prefix}.keyHash`, 'u32'),
    slots: sectionOf(sections, `${prefix}.slots`, 'i32'),
  });
}

function targetOf(sections: Map<string, Section>, index: number, target: TargetHeader, rows: number, classes: number) {
  const prefix = `target${index}`;
  const sized = <T extends Section>(values: T): T => {
    if (values.length !== rows) throw new Error(`${prefix} has ${values.length} rows, not ${rows}`);
    return values;
  };
  switch (target.kind) {
    case 'number':
      return { kind: 'number', values: sized(sectionOf(sections, `${prefix}.values`, 'f64')) } as const;
    case 'label': {
      const codes = sized(sectionOf(sections, `${prefix}.codes`, 'i32'));
      let inRange = true;
      for (let row = 0; row < codes.length; row++) inRange &&= codes[row]! >= 0 && codes[row]! < classes;
      if (!inRange) throw new Error('label code out of range');
      if (target.classNames?.length !== classes) throw new Error('class names and vocabulary disagree');
      return { kind: 'label', codes, classNames: target.classNames } as const;
    }
    case 'text': {
      const run = sectionOf(sections, `${prefix}.text`, 'u8');
      const text = Buffer.from(run.buffer, run.byteOffset, run.byteLength);
      const ends = sized(sectionOf(sections, `${prefix}.ends`, 'i32'));
      const values = Array.from(ends, (end, row) => {
        const start = row === 0 ? 0 : ends[row - 1]!;
        if (start > end || end > text.length) throw new Error('text offsets out of order');
        return text.toString('utf8', start, end);
      });
      const missing = sections.has(`${prefix}.missing`)
        ? sized(sectionOf(sections, `${prefix}.missing`, 'u8'))
        : undefined;
      return { kind: 'text', values, ...(missing ? { missing } : {}) } as const;
    }
  }
}

/**
 * The table a snapshot holds, when the snapshot was made from exactly `source` with `spec` by this
 * format and is whole; null otherwise (the caller then parses `source`).
 */
export function decodeSolutionSnapshot(
  snapshot: Uint8Array,
  source: Uint8Array,
  spec: SolutionSpec,
): SolutionTable | null {
  const bytes = Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
  if (bytes.length < MAGIC.length + 9 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  if (bytes[MAGIC.length] !== FORMAT) return null;
  const end = bytes.length - 4;
  if (crc32(bytes.subarray(0, end)) !== bytes.readUInt32LE(end)) return null;
  try {
    const headerLength = bytes.readUInt32LE(MAGIC.length + 1);
    const headerEnd = MAGIC.length + 5 + headerLength;
    const header = JSON.parse(bytes.toString('utf8', MAGIC.length + 5, headerEnd)) as SnapshotHeader;
    if (header.spec !== specKey(spec)) return null;
    if (header.source.bytes !== source.length || header.source.crc32 !== crc32(source)) return null;
    const sections = readSections(bytes, header, Math.ceil(headerEnd / ALIGN) * ALIGN, end);
    const rows = header.rowCount;
    const usage = sectionOf(sections, 'usage', 'u8');
    let usable = usage.length === rows;
    for (let row = 0; row < usage.length; row++) usable &&= usage[row]! <= 2;
    if (!usable) return null;
    const ids: IdLookup =
      header.ids.kind === 'integers'
        ? IntegerIds.fromParts(
            header.ids.maxValue,
            sectionOf(sections, 'ids.rowOf', 'i32'),
            sectionOf(sections, 'ids.ids', 'i32'),
          )
        : tableOf(sections, 'ids');
    if (ids.size !== rows) return null;
    const vocabulary: LabelVocabulary | undefined = header.vocabulary
      ? { table: tableOf(sections, 'vocabulary'), closed: header.vocabulary.closed }
      : undefined;
    const classes = vocabulary?.table.size ?? 0;
    const targets = header.targets.map((target, index) => targetOf(sections, index, target, rows, classes));
    return { rowCount: rows, ids, targets, usage, vocabulary };
  } catch {
    // A header or section that does not hold together: not a snapshot this reader can trust.
    return null;
  }
}

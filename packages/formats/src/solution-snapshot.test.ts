import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSolutionCsv, type SolutionSpec, type SolutionTable } from './solution-csv.ts';
import { decodeSolutionSnapshot, encodeSolutionSnapshot } from './solution-snapshot.ts';

const labelSpec: SolutionSpec = { idColumn: 'Id', targetColumns: ['Class'], targetKind: 'label' };
const integerLabels = Buffer.from('Id,Class,Usage\n0,3,Public\n1,7,Private\n2,3,Public\n5,0,Ignored\n');
const stringIds = Buffer.from('Id,Class,Usage\n0007.jpg,cat,Public\nb.jpg,dog,Private\nc ü.jpg,cat,Public\n');
const numbers = Buffer.from('id,tested_positive,Usage\n0,1.5,Public\n1,-2.25e-3,Private\n');
const numberSpec: SolutionSpec = { idColumn: 'id', targetColumns: ['tested_positive'], targetKind: 'number' };
const texts = Buffer.from(
  'id,ref1,ref2,Usage\n1,"a, b",,Public\n2,"",c d,Private\n3,日本語 テキスト,"say ""hi""",Public\n',
);
const textSpec: SolutionSpec = { idColumn: 'id', targetColumns: ['ref1', 'ref2'], targetKind: 'text' };
const closedSpec: SolutionSpec = { ...labelSpec, labels: ['0', '3', '7', '9'] };

/** Everything a scorer reads of a table, in plain values. */
function observed(table: SolutionTable, source: Uint8Array, spec: SolutionSpec) {
  const ids = readSolutionCsv(source, spec);
  const keys = Array.from({ length: ids.rowCount }, (_, row) => ids.ids.keyAt(row));
  return {
    rowCount: table.rowCount,
    usage: Array.from(table.usage),
    targets: table.targets.map((target) => ({ ...target })),
    keys: keys.map((_, row) => table.ids.keyAt(row)),
    rowsOfKeys: keys.map((key) => table.ids.findString(key)),
    unknown: ['', '8', '00', 'zzz'].map((key) => table.ids.findString(key)),
    vocabulary: table.vocabulary && {
      closed: table.vocabulary.closed,
      keys: Array.from({ length: table.vocabulary.table.size }, (_, code) => table.vocabulary!.table.keyAt(code)),
      found: ['3', 'cat', 'fish'].map((key) => table.vocabulary!.table.findString(key)),
    },
  };
}

function roundTrip(source: Buffer, spec: SolutionSpec) {
  const table = readSolutionCsv(source, spec);
  const decoded = decodeSolutionSnapshot(encodeSolutionSnapshot(table, source, spec), source, spec);
  expect(decoded).not.toBeNull();
  expect(observed(decoded!, source, spec)).toEqual(observed(table, source, spec));
}

describe('solution snapshots', () => {
  it.each([
    ['integer ids and labels', integerLabels, labelSpec],
    ['string ids', stringIds, labelSpec],
    ['numbers', numbers, numberSpec],
    ['several text references, some missing', texts, textSpec],
    ['a closed label list', integerLabels, closedSpec],
  ] as const)('give back the table they were made of: %s', (_what, source, spec) => roundTrip(source, spec));

  it('read the same from memory of any alignment', () => {
    const table = readSolutionCsv(numbers, numberSpec);
    const snapshot = encodeSolutionSnapshot(table, numbers, numberSpec);
    const shifted = Buffer.alloc(snapshot.length + 3);
    snapshot.copy(shifted, 3);
    const decoded = decodeSolutionSnapshot(shifted.subarray(3), numbers, numberSpec);
    expect(decoded).not.toBeNull();
    expect(observed(decoded!, numbers, numberSpec)).toEqual(observed(table, numbers, numberSpec));
  });

  it('give back any table, whatever its ids', () => {
    const id = fc.oneof(fc.nat({ max: 2_000_000 }).map(String), fc.string({ minLength: 1, maxLength: 6 }));
    const cell = (text: string) => `"${text.replaceAll('"', '""')}"`;
    fc.assert(
      fc.property(
        fc.uniqueArray(id, { minLength: 1, maxLength: 40, selector: (value) => value.trim() }),
        fc.array(fc.constantFrom('a', '1', '2', 'ü'), { minLength: 40, maxLength: 40 }),
        (ids, labels) => {
          const usable = ids.filter((value) => value.trim() !== '' && !value.includes('"'));
          fc.pre(usable.length > 0);
          const rows = usable.map((value, row) => `${cell(value)},${labels[row]},${row === 0 ? 'Public' : 'Private'}`);
          roundTrip(Buffer.from(`Id,Class,Usage\n${rows.join('\n')}\n`), labelSpec);
        },
      ),
      { numRuns: 300 },
    );
  });

  describe('are refused, never trusted, when they are not of these files', () => {
    const table = readSolutionCsv(integerLabels, labelSpec);
    const snapshot = encodeSolutionSnapshot(table, integerLabels, labelSpec);

    it('another solution.csv, even of the same length', () => {
      const edited = Buffer.from(integerLabels.toString().replace('0,3,Public', '0,4,Public'));
      expect(edited.length).toBe(integerLabels.length);
      expect(decodeSolutionSnapshot(snapshot, edited, labelSpec)).toBeNull();
    });

    it('other reading rules (columns, kind, label list)', () => {
      expect(decodeSolutionSnapshot(snapshot, integerLabels, closedSpec)).toBeNull();
      expect(decodeSolutionSnapshot(snapshot, integerLabels, { ...labelSpec, targetKind: 'number' })).toBeNull();
    });

    it('damaged, truncated, empty or of another format', () => {
      for (let at = 0; at < snapshot.length; at += 7) {
        const damaged = Buffer.from(snapshot);
        damaged[at] = damaged[at]! ^ 0x5a;
        expect(decodeSolutionSnapshot(damaged, integerLabels, labelSpec)).toBeNull();
      }
      expect(decodeSolutionSnapshot(snapshot.subarray(0, snapshot.length - 9), integerLabels, labelSpec)).toBeNull();
      expect(decodeSolutionSnapshot(Buffer.alloc(0), integerLabels, labelSpec)).toBeNull();
      const otherFormat = Buffer.from(snapshot);
      otherFormat[7] = 99;
      expect(decodeSolutionSnapshot(otherFormat, integerLabels, labelSpec)).toBeNull();
    });

    it('whole by its checksum but inconsistent inside', () => {
      // A writer bug rather than damage: the checksum holds, the contents do not.
      const headerLength = snapshot.readUInt32LE(8);
      const header = JSON.parse(snapshot.toString('utf8', 12, 12 + headerLength)) as { rowCount: number };
      for (const tamper of [
        (text: string) => text.replace(`"rowCount":${header.rowCount}`, `"rowCount":${header.rowCount + 1}`),
        (text: string) => text.replace('"u8"', '"i8"'),
        (text: string) => text.replace('"integers"', '"integerz"'),
      ]) {
        const text = tamper(snapshot.toString('utf8', 12, 12 + headerLength));
        expect(Buffer.byteLength(text)).toBe(headerLength);
        const forged = Buffer.from(snapshot);
        forged.write(text, 12, 'utf8');
        forged.writeUInt32LE(crc32(forged.subarray(0, forged.length - 4)), forged.length - 4);
        expect(decodeSolutionSnapshot(forged, integerLabels, labelSpec)).toBeNull();
      }
    });
  });
});

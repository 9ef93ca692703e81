/**
 * An uploaded archive checked against the task's layout and decoded, in the task's order (never the
 * archive's or a directory listing's, which is how images once got paired with the wrong labels).
 * Every violation is a precise rejection naming the file: missing, extra, duplicated, in a folder
 * it should not be in, named for one type and holding another, the wrong size.
 */
import { SubmissionRejection } from '@mljudge/formats';
import { readArchiveEntries, type ArchiveEntry, type ArchiveKind } from './archive-entries.ts';
import { decodeImage, TYPE_NAMES, type ImageType, type RgbImage } from './decode.ts';

export interface ImageSetRules {
  readonly archives: readonly ArchiveKind[];
  readonly type: ImageType;
  readonly width: number;
  readonly height: number;
  /** Every file the archive must hold, exactly, in scoring order (`1.jpg`, `airplane/airplane0.png`). */
  readonly names: readonly string[];
  /** Inflated bytes the whole archive may reach. */
  readonly maxInflatedBytes: number;
}

export interface ImageSet {
  readonly names: readonly string[];
  readonly images: readonly RgbImage[];
}

const reject = (code: string, message: string, expected?: string, found?: string): never => {
  throw new SubmissionRejection({ code, message, ...(expected ? { expected } : {}), ...(found ? { found } : {}) });
};

/** `1.jpg` for a numbered layout of JPEGs. */
export function numberedNames(count: number, type: ImageType): string[] {
  const extension = type === 'jpeg' ? 'jpg' : 'png';
  return Array.from({ length: count }, (_, index) => `${index + 1}.${extension}`);
}

const stem = (name: string) => name.replace(/\.[^./]*$/, '');
const describe = (names: readonly string[]) =>
  names.length === 1
    ? names[0]!
    : `${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''} (${names.length} files)`;

/** Maps each expected name to its entry, or throws the first violation of the layout. */
export function matchLayout(
  entries: readonly ArchiveEntry[],
  rules: Pick<ImageSetRules, 'type' | 'names'>,
): ArchiveEntry[] {
  const expected = new Set(rules.names);
  const byName = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name))
      reject(
        'IMAGE_DUPLICATE',
        `The archive holds ${entry.name} twice; each image must appear once.`,
        'unique names',
        entry.name,
      );
    byName.set(entry.name, entry);
  }
  const extra = entries.map((entry) => entry.name).filter((name) => !expected.has(name));
  const missing = rules.names.filter((name) => !byName.has(name));
  if (extra.length > 0) {
    const first = extra[0]!;
    // A whole folder tarred instead of its contents: every name carries the same extra prefix.
    const wrapped = rules.names.find((name) => first.endsWith(`/${name}`));
    if (wrapped) {
      const folder = first.slice(0, first.length - wrapped.length - 1);
      reject(
        'IMAGE_NESTED_FOLDER',
        `The images are inside the folder "${folder}/" (e.g. ${first}); put ${rules.names[0]!.includes('/') ? 'the class folders' : 'the images'} at the root of the archive: tar czf submission.tgz -C ${folder} .`,
        rules.names[0],
        first,
      );
    }
    if (first.includes('/') && !rules.names.some((name) => name.includes('/')))
      reject(
        'IMAGE_NESTED_FOLDER',
        `${first} is in a folder; this task takes the images at the root of the archive (${rules.names[0]}, ${rules.names[1] ?? ''}...).`,
        rules.names[0],
        first,
      );
    const sameStem = rules.names.find((name) => stem(name) === stem(first));
    if (sameStem)
      reject(
        'IMAGE_WRONG_NAME',
        `${first} should be called ${sameStem}: this task takes ${TYPE_NAMES[rules.type]} files named like ${rules.names[0]}.`,
        sameStem,
        first,
      );
    reject(
      'IMAGE_EXTRA_FILE',
      `The archive holds ${describe(extra)}, which this task does not take; it takes exactly ${rules.names.length} images named like ${rules.names[0]}.`,
      `${rules.names.length} images`,
      first,
    );
  }
  if (missing.length > 0)
    reject(
      'IMAGE_MISSING',
      `The archive has no ${describe(missing)}; it holds ${entries.length} of the ${rules.names.length} images this task takes.`,
      `${rules.names.length} images`,
      `${entries.length} images`,
    );
  return rules.names.map((name) => byName.get(name)!);
}

const DECODE_CONCURRENCY = 16;

/** Reads, checks and decodes an uploaded archive. Throws SubmissionRejection. */
export async function readImageSet(archive: Uint8Array, rules: ImageSetRules): Promise<ImageSet> {
  const entries = await readArchiveEntries(archive, rules.archives, {
    // Room for a few stray files, so that the layout check can name them rather than the count.
    maxFiles: rules.names.length + 64,
    maxInflatedBytes: rules.maxInflatedBytes,
  });
  return decodeImageSet(entries, rules);
}

/** Checks archive entries already read against the layout and decodes them, in the rules' order. */
export async function decodeImageSet(
  entries: readonly ArchiveEntry[],
  rules: Pick<ImageSetRules, 'type' | 'width' | 'height' | 'names'>,
): Promise<ImageSet> {
  const ordered = matchLayout(entries, rules);
  const images: RgbImage[] = [];
  for (let start = 0; start < ordered.length; start += DECODE_CONCURRENCY) {
    const batch = ordered.slice(start, start + DECODE_CONCURRENCY);
    // Settled, not raced: the rejection reported is the first offending file in order, every time.
    const decoded = await Promise.allSettled(batch.map((entry) => decodeImage(entry.name, entry.bytes, rules)));
    decoded.forEach((result, offset) => {
      if (result.status === 'rejected') throw result.reason;
      images[start + offset] = result.value;
    });
  }
  return { names: rules.names, images };
}

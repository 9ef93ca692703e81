/**
 * Images task bundles for tests: the course pack's HW6 and HW10 with fewer images (the same
 * evaluators, layout rules and metrics), as multipart parts named `evaluation` and `data`, and the
 * pieces of an upload to take apart and put together wrongly.
 */
import { hw10AttackOf, hw6AnimeOf, SeededRandom, type GeneratedBundle } from '@mljudge/course-pack';
import { readArchiveEntries, writeTarGz, type ArchiveEntry, type FileToPack } from '@mljudge/images';
import { multipart } from './multipart.ts';

export const HW6_IMAGES = 24;
export const HW10_PER_CLASS = 2;

export const smallHw6 = () => hw6AnimeOf(HW6_IMAGES).generate(new SeededRandom(2023));
export const smallHw10 = () => hw10AttackOf(HW10_PER_CLASS).generate(new SeededRandom(2023));

/** task.yaml, then each bundle file as a part named by its folder. */
export function imageBundleUpload(bundle: GeneratedBundle) {
  return multipart([
    { field: 'task', filename: 'task.yaml', content: bundle.taskYaml },
    ...Object.entries(bundle.files ?? {}).map(([name, content]) => {
      const [folder, file] = name.split('/') as [string, string];
      return { field: folder, filename: file, content: typeof content === 'string' ? content : Buffer.from(content) };
    }),
  ]);
}

/** The files of an archive (the sample upload, the originals), to rearrange. */
export async function entriesOf(archive: Uint8Array | string): Promise<ArchiveEntry[]> {
  return readArchiveEntries(Buffer.from(archive), ['tar.gz', 'zip'], { maxFiles: 10_000, maxInflatedBytes: 1 << 30 });
}

export const tarGz = (files: readonly FileToPack[]) => writeTarGz(files);

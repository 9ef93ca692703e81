/**
 * Holds a worker inside a job, without touching its code: the stored file is swapped for a named
 * pipe, so the scoring thread blocks opening it (the submission is RUNNING, its lock held) until the
 * test releases it. Releasing puts the real file back before feeding the pipe, so a second read of
 * the path (a second pass) finds the real file.
 */
import { execFileSync } from 'node:child_process';
import { open, readFile, rename } from 'node:fs/promises';

export interface HeldFile {
  /** Lets the blocked reader read the real content, and every later reader the real file. */
  release(): Promise<void>;
}

export async function holdFile(filePath: string): Promise<HeldFile> {
  const content = await readFile(filePath);
  const real = `${filePath}.held`;
  await rename(filePath, real);
  execFileSync('mkfifo', [filePath]);
  return {
    async release() {
      // Opening the write end waits for the reader to open the pipe; then the path can change under it.
      const pipe = await open(filePath, 'w');
      await rename(real, filePath);
      await pipe.writeFile(content);
      await pipe.close();
    },
  };
}

/** Writes a generated homework to `<dir>/<slug>/` as task.yaml + solution.csv (+ the demo sample). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Homework } from './homework.ts';
import { SeededRandom } from './random.ts';

export interface WrittenBundle {
  readonly slug: string;
  readonly directory: string;
  readonly samplePath: string;
}

export async function writeBundle(homework: Homework, directory: string, seed = 2023): Promise<WrittenBundle> {
  const bundle = homework.generate(new SeededRandom(seed));
  const target = path.join(directory, homework.slug);
  await mkdir(target, { recursive: true });
  await writeFile(path.join(target, 'task.yaml'), bundle.taskYaml);
  await writeFile(path.join(target, 'solution.csv'), bundle.solutionCsv);
  const samplePath = path.join(directory, `${homework.slug}-${bundle.sampleFileName}`);
  await writeFile(samplePath, bundle.sampleSubmission);
  return { slug: homework.slug, directory: target, samplePath };
}

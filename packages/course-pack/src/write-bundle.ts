/** Writes a generated homework to `<dir>/<slug>/` as task.yaml + solution.csv or program/ (+ the demo sample). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Homework, ImageHomework } from './homework.ts';
import { SeededRandom } from './random.ts';

export interface WrittenBundle {
  readonly slug: string;
  readonly directory: string;
  readonly samplePath: string;
}

/** A deadline to write into task.yaml (the generators leave the schedule to the course). */
export interface BundleSchedule {
  readonly deadline?: Date | undefined;
}

export async function writeBundle(
  homework: Homework | ImageHomework,
  directory: string,
  seed = 2023,
  schedule: BundleSchedule = {},
): Promise<WrittenBundle> {
  const bundle = await homework.generate(new SeededRandom(seed));
  const target = path.join(directory, homework.slug);
  await mkdir(target, { recursive: true });
  const taskYaml = schedule.deadline
    ? `${bundle.taskYaml.trimEnd()}\ndeadline: ${schedule.deadline.toISOString()}\n`
    : bundle.taskYaml;
  await writeFile(path.join(target, 'task.yaml'), taskYaml);
  if (bundle.solutionCsv !== undefined) await writeFile(path.join(target, 'solution.csv'), bundle.solutionCsv);
  for (const [name, content] of Object.entries(bundle.files ?? {})) {
    await mkdir(path.dirname(path.join(target, name)), { recursive: true });
    await writeFile(path.join(target, name), content);
  }
  const samplePath = path.join(directory, `${homework.slug}-${bundle.sampleFileName}`);
  await writeFile(samplePath, bundle.sampleSubmission);
  return { slug: homework.slug, directory: target, samplePath };
}

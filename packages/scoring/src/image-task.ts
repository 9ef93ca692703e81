/**
 * An images task ready to score: its rules, the TA's evaluator models, the originals (decoded, with
 * each image's class) and the FID reference statistics. Built once per task version by the runner
 * process, and by `mljudge score` from a bundle folder, with the same code.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleError, SubmissionRejection } from '@mljudge/formats';
import { decodeImageSet, numberedNames, readArchiveEntries, type ImageSet } from '@mljudge/images';
import { featureMoments, type FeatureMoments } from '@mljudge/metrics';
import { readNpy, writeNpyFloat64, NpyError } from '@mljudge/onnx-runner';
import type { ImageRules } from './image-rules.ts';
import { evaluatorOutputs } from './evaluator-run.ts';
import { parseTaskYaml, type ResolvedMetric, type TaskDefinition } from './task-definition.ts';

/** An images task's models and hidden data live in this folder of its bundle. */
export const EVALUATION_FOLDER = 'evaluation';

/** Inflated bytes an originals or reference archive may reach (the TA's own files). */
const MAX_BUNDLE_ARCHIVE_INFLATED = 2 * 1024 ** 3;

export interface LoadedImageTask {
  readonly definition: TaskDefinition;
  readonly rules: ImageRules;
  /** The names an upload must hold, in scoring order. */
  readonly names: readonly string[];
  readonly originals: ImageSet | null;
  /** Index in the task's labels of each image's class (its originals folder). */
  readonly classes: Int32Array | null;
  /** Evaluator name -> its ONNX bytes. */
  readonly models: ReadonlyMap<string, Uint8Array>;
  /** FID metric name -> statistics of the hidden real images. */
  readonly references: ReadonlyMap<string, FeatureMoments>;
}

const bundleProblem = (code: string, message: string): never => {
  throw new BundleError({ code, message });
};

/** Class folder, then the number in the file name, then the name: an order that never depends on a listing. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The statistics files the bundle check writes beside a reference archive. */
export function referenceStatisticsFiles(reference: string): { mu: string; sigma: string } {
  return { mu: `${reference}.fid-mu.npy`, sigma: `${reference}.fid-sigma.npy` };
}

async function readBundleArchive(folder: string, name: string): Promise<Buffer> {
  const file = path.join(folder, name);
  if (!existsSync(file))
    bundleProblem(
      'BUNDLE_INCOMPLETE',
      `task.yaml names ${EVALUATION_FOLDER}/${name}, but the bundle has no such file.`,
    );
  return readFile(file);
}

/** Reads a TA's image archive with the student's rules, turning a rejection into the TA's problem. */
async function bundleImages(folder: string, name: string, rules: ImageRules): Promise<ImageSet> {
  const bytes = await readBundleArchive(folder, name);
  try {
    // Read once: the TA's own archive names the images, in a natural order of their names.
    const entries = await readArchiveEntries(bytes, ['tar.gz', 'zip'], {
      maxFiles: 1_000_000,
      maxInflatedBytes: MAX_BUNDLE_ARCHIVE_INFLATED,
    });
    return await decodeImageSet(entries, {
      type: rules.type,
      width: rules.width,
      height: rules.height,
      names: entries.map((entry) => entry.name).sort(naturalOrder),
    });
  } catch (error) {
    if (error instanceof SubmissionRejection)
      bundleProblem('BUNDLE_IMAGES_INVALID', `${EVALUATION_FOLDER}/${name}: ${error.detail.message}`);
    throw error;
  }
}

function classesOf(originals: ImageSet, labels: readonly string[] | undefined): Int32Array | null {
  if (!labels) return null;
  return Int32Array.from(originals.names, (name) => {
    const folder = name.includes('/') ? name.split('/')[0]! : '';
    const index = labels.indexOf(folder);
    if (index < 0)
      bundleProblem(
        'BUNDLE_IMAGES_INVALID',
        `${name} in the originals is in folder "${folder}", which is not one of the task's labels (${labels.slice(0, 5).join(', ')}...).`,
      );
    return index;
  });
}

function momentsFromNpy(mu: Uint8Array, sigma: Uint8Array, label: string): FeatureMoments {
  try {
    const mean = readNpy(mu);
    const covariance = readNpy(sigma);
    const dims = mean.shape[0]!;
    if (mean.shape.length !== 1 || covariance.shape.join(',') !== `${dims},${dims}`)
      bundleProblem(
        'BUNDLE_REFERENCE_INVALID',
        `${label}: mu must be [dims] and sigma [dims, dims]; got [${mean.shape.join(', ')}] and [${covariance.shape.join(', ')}].`,
      );
    return { dims, mean: Float64Array.from(mean.data), covariance: Float64Array.from(covariance.data) };
  } catch (error) {
    if (error instanceof NpyError) bundleProblem('BUNDLE_REFERENCE_INVALID', `${label}: ${error.message}`);
    throw error;
  }
}

export interface ImageTaskOptions {
  /** Execution providers for the evaluators, cpu last. */
  readonly providers: readonly string[];
  /** Write the statistics of a reference archive beside it (the bundle check); else compute them in memory. */
  readonly writeStatistics?: boolean;
}

/** The statistics of one FID metric: supplied, cached beside the reference archive, or computed from it. */
async function referenceMoments(
  metric: ResolvedMetric,
  folder: string,
  task: Omit<LoadedImageTask, 'references'>,
  options: ImageTaskOptions,
): Promise<FeatureMoments> {
  const { mu, sigma, reference, evaluator } = metric.imageOptions!;
  if (mu && sigma)
    return momentsFromNpy(
      await readBundleArchive(folder, mu),
      await readBundleArchive(folder, sigma),
      `${EVALUATION_FOLDER}/${mu}`,
    );
  const cached = referenceStatisticsFiles(reference!);
  if (
    !options.writeStatistics &&
    existsSync(path.join(folder, cached.mu)) &&
    existsSync(path.join(folder, cached.sigma))
  )
    return momentsFromNpy(
      await readFile(path.join(folder, cached.mu)),
      await readFile(path.join(folder, cached.sigma)),
      `${EVALUATION_FOLDER}/${cached.mu}`,
    );
  const images = await bundleImages(folder, reference!, task.rules);
  if (images.images.length < 2)
    bundleProblem('BUNDLE_REFERENCE_INVALID', `${EVALUATION_FOLDER}/${reference}: FID needs at least two real images.`);
  const evaluatorRules = task.rules.evaluators.find((candidate) => candidate.name === evaluator)!;
  const output = await evaluatorOutputs(evaluatorRules, task.models.get(evaluator)!, images.images, options.providers);
  const moments = featureMoments({ rows: images.images.length, dims: output.width, values: output.values });
  if (options.writeStatistics) {
    await writeFile(path.join(folder, cached.mu), writeNpyFloat64([moments.dims], moments.mean));
    await writeFile(path.join(folder, cached.sigma), writeNpyFloat64([moments.dims, moments.dims], moments.covariance));
  }
  return moments;
}

/** Loads an images task from task.yaml and its evaluation/ folder. Throws BundleError for the TA's mistakes. */
export async function loadImageTask(
  taskYaml: string,
  evaluationFolder: string,
  options: ImageTaskOptions,
): Promise<LoadedImageTask> {
  const definition = parseTaskYaml(taskYaml);
  const rules = definition.images;
  if (!rules) throw new Error(`Task ${definition.slug} is not an images task.`);
  const models = new Map<string, Uint8Array>();
  for (const evaluator of rules.evaluators)
    models.set(evaluator.name, await readBundleArchive(evaluationFolder, evaluator.model));
  const originals = rules.originals ? await bundleImages(evaluationFolder, rules.originals, rules) : null;
  const names = originals ? originals.names : numberedNames(rules.count!, rules.type);
  const partial = {
    definition,
    rules,
    names,
    originals,
    classes: originals ? classesOf(originals, definition.labels) : null,
    models,
  };
  const references = new Map<string, FeatureMoments>();
  for (const metric of [definition.metric, ...definition.report])
    if (metric.name === 'fid')
      references.set(metric.name, await referenceMoments(metric, evaluationFolder, partial, options));
  return { ...partial, references };
}

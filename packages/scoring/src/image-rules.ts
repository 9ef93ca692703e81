/**
 * The rules of an images task (HW6 generation, HW10 attack) from task.yaml: what the archive must
 * hold, the TA's evaluator models with their preprocessing, and the metrics computed from their
 * outputs. The metrics are not prediction metrics (no solution.csv): each names the evaluator it
 * reads, and FID names the reference statistics of the hidden real images.
 */
import { BundleError } from '@mljudge/formats';
import type { ArchiveKind, ImageType, Preprocessing } from '@mljudge/images';
import type { Direction } from '@mljudge/metrics';
import type { EvaluatorYaml, ImagesYaml, MetricSpecYaml } from './task-schema.ts';

export type EvaluatorOutput = 'features' | 'detection' | 'logits';

export interface EvaluatorRules {
  readonly name: string;
  /** A file of the bundle's evaluation/ folder. */
  readonly model: string;
  readonly output: EvaluatorOutput;
  readonly threshold: number;
  readonly batchSize: number;
  readonly preprocess: Preprocessing;
}

export interface ImageRules {
  readonly type: ImageType;
  readonly width: number;
  readonly height: number;
  /** Numbered layout: 1.jpg .. count.jpg. */
  readonly count: number | undefined;
  /** A .tar.gz of evaluation/ whose names the upload must repeat (and whose pixels bound it, with maxLinf). */
  readonly originals: string | undefined;
  readonly maxLinf: number | undefined;
  readonly archives: readonly ArchiveKind[];
  readonly evaluators: readonly EvaluatorRules[];
  /** Seconds all evaluators together may take on one upload. */
  readonly maxSeconds: number;
}

/** The metrics an images task can compute, what they read and which way is better. */
export const IMAGE_METRICS = {
  fid: {
    direction: 'lower',
    reads: 'features',
    description: 'Fréchet distance of the features of the upload to those of the hidden real images (pytorch-fid)',
  },
  detection_rate: {
    direction: 'higher',
    reads: 'detection',
    description: "fraction of the images in which the TA's detector scores at or above its threshold (HW6 AFD)",
  },
  attacked_accuracy: {
    direction: 'lower',
    reads: 'logits',
    description: "accuracy of the TA's classifier on the attacked images, against their original classes",
  },
} as const satisfies Record<string, { direction: Direction; reads: EvaluatorOutput; description: string }>;

export type ImageMetricName = keyof typeof IMAGE_METRICS;

/** Options of an image metric, checked. */
export interface ImageMetricOptions {
  readonly evaluator: string;
  /** fid: a .tar.gz of real images in evaluation/, whose statistics the bundle check computes. */
  readonly reference?: string;
  /** fid: the statistics supplied as .npy files (float64 or float32) in evaluation/. */
  readonly mu?: string;
  readonly sigma?: string;
}

function problem(path: string, message: string): never {
  throw new BundleError({ code: 'TASK_YAML_INVALID', message: `task.yaml ${path}: ${message}`, found: path });
}

export function isImageMetric(name: string): name is ImageMetricName {
  return Object.hasOwn(IMAGE_METRICS, name);
}

const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks an image metric's options against the evaluators (by name and output kind). */
export function imageMetricOptions(
  spec: MetricSpecYaml,
  path: string,
  evaluators: readonly EvaluatorRules[],
): { name: ImageMetricName; options: ImageMetricOptions } {
  const name = typeof spec === 'string' ? spec : spec.name;
  if (!isImageMetric(name))
    problem(path, `an images task computes ${Object.keys(IMAGE_METRICS).join(', ')}; "${name}" is none of them`);
  if (typeof spec !== 'string' && spec.direction) problem(`${path}/direction`, `${name} knows its direction`);
  const raw = typeof spec === 'string' ? {} : (spec.options ?? {});
  const allowed = name === 'fid' ? ['evaluator', 'reference', 'mu', 'sigma'] : ['evaluator'];
  for (const key of Object.keys(raw))
    if (!allowed.includes(key)) problem(`${path}/options/${key}`, `unknown option of ${name}`);
  for (const key of allowed)
    if (raw[key] !== undefined && (typeof raw[key] !== 'string' || (key !== 'evaluator' && !FILE.test(raw[key]))))
      problem(`${path}/options/${key}`, key === 'evaluator' ? 'names an evaluator' : 'is a file name in evaluation/');
  const wanted = IMAGE_METRICS[name].reads;
  const candidates = evaluators.filter((evaluator) => evaluator.output === wanted);
  const evaluatorName =
    (raw.evaluator as string | undefined) ?? (candidates.length === 1 ? candidates[0]!.name : undefined);
  if (!evaluatorName) problem(`${path}/options/evaluator`, `${name} needs an evaluator with output ${wanted}; name it`);
  const evaluator = evaluators.find((candidate) => candidate.name === evaluatorName);
  if (!evaluator) problem(`${path}/options/evaluator`, `no evaluator is called "${evaluatorName}"`);
  if (evaluator.output !== wanted)
    problem(`${path}/options/evaluator`, `${name} reads ${wanted}, but ${evaluatorName} outputs ${evaluator.output}`);
  const options: ImageMetricOptions = { evaluator: evaluatorName, ...(raw as Omit<ImageMetricOptions, 'evaluator'>) };
  if (name === 'fid') {
    const supplied = options.mu !== undefined || options.sigma !== undefined;
    if (supplied && (options.mu === undefined || options.sigma === undefined))
      problem(`${path}/options`, 'fid takes both mu and sigma, or neither');
    if (supplied === (options.reference !== undefined))
      problem(`${path}/options`, 'fid needs either reference (a .tar.gz of the real images) or mu and sigma (.npy)');
  }
  return { name, options };
}

function evaluatorRules(yaml: EvaluatorYaml): EvaluatorRules {
  const pre = yaml.preprocess;
  return {
    name: yaml.name,
    model: yaml.model,
    output: yaml.output,
    threshold: yaml.threshold ?? 0.5,
    batchSize: yaml.batch_size ?? 50,
    preprocess: {
      width: pre.width,
      height: pre.height,
      filter: pre.resize ?? 'bilinear',
      channelOrder: pre.channel_order ?? 'rgb',
      layout: pre.layout ?? 'nchw',
      scale: pre.scale ?? 255,
      mean: (pre.mean ?? [0, 0, 0]) as [number, number, number],
      std: (pre.std ?? [1, 1, 1]) as [number, number, number],
    },
  };
}

/** The images section, checked against the evaluators and labels the task declares. */
export function imageRules(
  images: ImagesYaml | undefined,
  evaluators: readonly EvaluatorYaml[] | undefined,
  maxSeconds: number | undefined,
  labels: readonly string[] | undefined,
): ImageRules {
  if (!images) problem('/images', 'an images task needs an images section (type, width, height, count or originals)');
  if (!evaluators) problem('/evaluators', "an images task needs its evaluator models (the TA's ONNX files)");
  if ((images.count === undefined) === (images.originals === undefined))
    problem('/images', 'give count (files 1.jpg .. N.jpg) or originals (the same names as the originals), not both');
  if (images.max_linf !== undefined && images.originals === undefined)
    problem('/images/max_linf', 'bounds the distance to the originals: give images.originals');
  const names = new Set<string>();
  for (const [index, evaluator] of evaluators.entries()) {
    if (names.has(evaluator.name)) problem(`/evaluators/${index}/name`, `two evaluators are called ${evaluator.name}`);
    names.add(evaluator.name);
    if (evaluator.threshold !== undefined && evaluator.output !== 'detection')
      problem(`/evaluators/${index}/threshold`, 'only detection evaluators take a threshold');
    if (evaluator.output === 'logits' && (!labels || !images.originals))
      problem(
        `/evaluators/${index}/output`,
        "a classifier is scored against the originals' classes: give images.originals and the labels in logit order",
      );
  }
  return {
    type: images.type,
    width: images.width,
    height: images.height,
    count: images.count,
    originals: images.originals,
    maxLinf: images.max_linf,
    archives: images.archives ?? ['tar.gz', 'zip'],
    evaluators: evaluators.map(evaluatorRules),
    maxSeconds: maxSeconds ?? 300,
  };
}

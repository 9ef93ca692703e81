/**
 * Turns task.yaml text into a validated TaskDefinition: schema check with the path of each offending
 * key, then the semantic checks a schema cannot express (metric names and options, columns the
 * format needs, metrics that read the same kind of input).
 */
import { BundleError, type ValueKind } from '@mljudge/formats';
import { defaultRevealAt } from '@mljudge/grading';
import {
  findMetric,
  MetricOptionError,
  parseMetricOptions,
  type Direction,
  type MetricDefinition,
  type MetricInputKind,
  type MetricOptions,
} from '@mljudge/metrics';
import Value from 'typebox/value';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import {
  IMAGE_METRICS,
  imageMetricOptions,
  imageRules,
  type EvaluatorRules,
  type ImageMetricOptions,
  type ImageRules,
} from './image-rules.ts';
import { TaskYamlSchema, type MetricSpecYaml, type TaskYaml, type ThresholdYaml } from './task-schema.ts';

/** A half-open interval [from, to) of the primary metric worth some points; a missing bound is open. */
export interface PointBand {
  readonly from?: number;
  readonly to?: number;
  readonly points: number;
}

export interface ResolvedMetric {
  readonly name: string;
  readonly definition: MetricDefinition;
  readonly options: MetricOptions;
  /** Options as written in task.yaml, for display. */
  readonly rawOptions: Readonly<Record<string, unknown>>;
  /** Images tasks: the evaluator (and reference statistics) the metric reads. */
  readonly imageOptions?: ImageMetricOptions;
}

export interface BaselineDefinition {
  readonly name: string;
  /** Metric name -> threshold; all must be met. */
  readonly public: Readonly<Record<string, number>>;
  readonly private: Readonly<Record<string, number>>;
  readonly points: number;
}

export interface TaskDefinition {
  readonly slug: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly format: 'csv' | 'text' | 'onnx' | 'program' | 'images';
  readonly idColumn: string | undefined;
  readonly targetColumns: readonly string[];
  readonly predictionColumn: string;
  readonly metric: ResolvedMetric;
  /** Further metrics computed and shown, never ranked on. */
  readonly report: readonly ResolvedMetric[];
  readonly direction: Direction;
  readonly inputKind: MetricInputKind;
  readonly labels: readonly string[] | undefined;
  readonly dailySubmissions: number;
  readonly maxUploadBytes: number;
  readonly opensAt: Date | undefined;
  readonly deadline: Date | undefined;
  readonly revealAt: Date | undefined;
  readonly baselines: readonly BaselineDefinition[];
  /** ONNX tasks: the model's input contract and limits. */
  readonly model: ModelRules | undefined;
  /** Program tasks: the TA's scoring program and its limits. */
  readonly program: ProgramRules | undefined;
  /** Images tasks: the archive's layout, the evaluator models and their limits. */
  readonly images: ImageRules | undefined;
  /** Points by interval of the primary metric (HW12); when set, they replace baseline points in grades. */
  readonly pointBands: readonly PointBand[] | undefined;
  /** Submissions a student may select for the private board. */
  readonly selectionLimit: number;
  /** Public files of the bundle students may download (task.yaml `data`), by name. */
  readonly dataFiles: readonly string[];
  /** Decimal places of public scores shown to students before the reveal; undefined shows them exact. */
  readonly publicPrecision: number | undefined;
  readonly late:
    { readonly until: Date; readonly policy: 'refuse' | 'unranked' | 'penalty'; readonly factor: number } | undefined;
}

export const DEFAULT_SELECTION_LIMIT = 2;

export interface ModelRules {
  readonly inputType: 'float32' | 'uint8';
  readonly inputShape: readonly number[];
  readonly maxParameters: number | undefined;
  readonly overLimit: 'reject' | 'zero';
  readonly maxSeconds: number;
  readonly batchSize: number;
}

export interface ProgramRules {
  readonly command: readonly string[];
  /** A file of program/ the bundle check scores. */
  readonly sample: string;
  readonly splits: ReadonlyArray<'public' | 'private'>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly maxProcesses: number;
}

export const DEFAULT_DAILY_SUBMISSIONS = 5;
export const DEFAULT_MAX_UPLOAD_MB = 64;

function problem(path: string, message: string): never {
  throw new BundleError({ code: 'TASK_YAML_INVALID', message: `task.yaml ${path}: ${message}`, found: path });
}

function schemaErrors(document: unknown): string[] {
  const messages: string[] = [];
  for (const error of Value.Errors(TaskYamlSchema, document)) {
    const path = error.instancePath === '' ? '(top level)' : error.instancePath;
    if (error.keyword === 'boolean') continue; // reported by its additionalProperties error below
    if (error.keyword === 'additionalProperties') {
      const names = (error.params as { additionalProperties?: string[] }).additionalProperties ?? [];
      for (const name of names) messages.push(`${error.instancePath}/${name}: unknown key`);
    } else if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      messages.push(`${path}: has the wrong type`);
    } else {
      messages.push(`${path}: ${error.message}`);
    }
  }
  return [...new Set(messages)];
}

/**
 * A metric a task's program computes: any name, with the direction the TA declares. It has no
 * function here (the program reports its value), and takes no options.
 */
function programMetric(spec: MetricSpecYaml, path: string): ResolvedMetric {
  if (typeof spec === 'string' || !spec.direction)
    problem(path, 'a program task declares each metric as { name, direction: higher | lower }');
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(spec.name))
    problem(`${path}/name`, 'a program metric is named with lower-case letters, digits and underscores');
  if (spec.options) problem(`${path}/options`, 'a program metric takes no options (the program computes it)');
  const direction = spec.direction;
  const definition = {
    name: spec.name,
    description: "computed by the task's scoring program",
    direction,
    input: 'numbers' as const,
    options: [],
    compute: () => {
      throw new Error(`${spec.name} is computed by the task's program`);
    },
  };
  return { name: spec.name, definition, options: {}, rawOptions: {} };
}

/** A metric of an images task: computed from the evaluators' outputs, not from predictions. */
function imageMetric(spec: MetricSpecYaml, path: string, evaluators: readonly EvaluatorRules[]): ResolvedMetric {
  const { name, options } = imageMetricOptions(spec, path, evaluators);
  const known = IMAGE_METRICS[name];
  const definition = {
    name,
    description: known.description,
    direction: known.direction,
    input: 'numbers' as const,
    options: [],
    compute: () => {
      throw new Error(`${name} is computed from the evaluator models' outputs`);
    },
  };
  return { name, definition, options: {}, rawOptions: { ...options }, imageOptions: options };
}

function resolveMetric(
  spec: MetricSpecYaml,
  path: string,
  program = false,
  evaluators?: readonly EvaluatorRules[],
): ResolvedMetric {
  if (program) return programMetric(spec, path);
  if (evaluators) return imageMetric(spec, path, evaluators);
  if (typeof spec !== 'string' && spec.direction)
    problem(`${path}/direction`, 'only program tasks declare a direction (built-in metrics know theirs)');
  const name = typeof spec === 'string' ? spec : spec.name;
  const rawOptions = typeof spec === 'string' ? {} : (spec.options ?? {});
  const definition = findMetric(name);
  if (!definition) problem(path, `unknown metric "${name}"`);
  try {
    return { name, definition, options: parseMetricOptions(definition, rawOptions), rawOptions };
  } catch (error) {
    if (error instanceof MetricOptionError) problem(`${path}/options/${error.option}`, error.message);
    throw error;
  }
}

function thresholds(
  value: ThresholdYaml,
  primary: string,
  path: string,
  known: ReadonlySet<string>,
): Record<string, number> {
  const map = typeof value === 'number' ? { [primary]: value } : value;
  for (const name of Object.keys(map)) {
    if (!known.has(name))
      problem(`${path}/${name}`, `baseline threshold on "${name}", which the task does not compute`);
  }
  return map;
}

function timestamp(value: string | undefined, path: string): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()) || !/(Z|[+-]\d\d:?\d\d)$/i.test(value))
    problem(path, `"${value}" is not an ISO 8601 time with a zone`);
  return date;
}

/** The column kind solution.csv's target is read as, for a metric input kind. */
export function truthKind(input: MetricInputKind): ValueKind {
  switch (input) {
    case 'labels':
    case 'scores':
      return 'label';
    case 'numbers':
      return 'number';
    case 'texts':
      return 'text';
  }
}

/** The column kind predictions are read as, for a metric input kind. */
export function predictionKind(input: MetricInputKind): ValueKind {
  switch (input) {
    case 'labels':
      return 'label';
    case 'numbers':
    case 'scores':
      return 'number';
    case 'texts':
      return 'text';
  }
}

function validated(yaml: TaskYaml): TaskDefinition {
  const isProgram = yaml.format === 'program';
  const isImages = yaml.format === 'images';
  const labelList = yaml.labels?.map(String);
  const images = isImages
    ? imageRules(yaml.images, yaml.evaluators, yaml.evaluation?.max_seconds, labelList)
    : undefined;
  if (!isImages && (yaml.images || yaml.evaluators || yaml.evaluation))
    problem(yaml.images ? '/images' : yaml.evaluators ? '/evaluators' : '/evaluation', 'only images tasks take it');
  const metric = resolveMetric(yaml.metric, '/metric', isProgram, images?.evaluators);
  const report = (yaml.report ?? []).map((spec, index) =>
    resolveMetric(spec, `/report/${index}`, isProgram, images?.evaluators),
  );
  if (images) {
    for (const [index, spec] of [metric, ...report].entries())
      if ([metric, ...report].findIndex((other) => other.name === spec.name) !== index)
        problem(`/report/${index - 1}`, `${spec.name} is computed twice`);
    if (yaml.target_column !== undefined || yaml.id_column !== undefined)
      problem('/target_column', 'an images task has no solution.csv columns');
  }
  if (isProgram && !yaml.program) problem('/program', 'a program task needs a program section (command, sample)');
  if (!isProgram && yaml.program) problem('/program', 'only program tasks take a program section');
  if (!isProgram && !isImages && yaml.target_column === undefined) problem('/target_column', 'is required');
  for (const [index, extra] of report.entries()) {
    if (extra.definition.input !== metric.definition.input) {
      problem(
        `/report/${index}`,
        `${extra.name} reads ${extra.definition.input} but the primary metric ${metric.name} reads ${metric.definition.input}`,
      );
    }
  }
  const targetColumns =
    yaml.target_column === undefined
      ? []
      : typeof yaml.target_column === 'string'
        ? [yaml.target_column]
        : yaml.target_column;
  if (targetColumns.length > 1 && metric.definition.input !== 'texts')
    problem('/target_column', 'several target columns (references) are only for text metrics');
  if (yaml.format === 'csv' && yaml.id_column === undefined) problem('/id_column', 'a csv task needs id_column');
  if (yaml.format === 'text' && metric.definition.input !== 'texts')
    problem('/format', `format text needs a text metric, not ${metric.name}`);
  if (
    yaml.labels !== undefined &&
    !isImages &&
    metric.definition.input !== 'labels' &&
    metric.definition.input !== 'scores'
  )
    problem('/labels', 'labels only apply to label metrics');
  if (yaml.format === 'onnx') {
    if (!yaml.model) problem('/model', 'an onnx task needs a model section (input dtype and shape)');
    if (metric.definition.input !== 'labels' || !yaml.labels)
      problem(
        '/labels',
        'an onnx task scores logits over its labels: give a label metric and the labels in output order',
      );
  } else if (yaml.model) problem('/model', 'only onnx tasks take a model section');
  const labels = labelList;
  if (labels && new Set(labels).size !== labels.length) problem('/labels', 'lists a label twice');
  // The hidden files can never be published, whatever the list says.
  for (const [index, name] of (yaml.data ?? []).entries())
    if (['task.yaml', 'solution.csv', 'inputs.npy'].includes(name.toLowerCase()))
      problem(`/data/${index}`, `${name} holds hidden data and cannot be a public file`);
  const known = new Set([metric.name, ...report.map((extra) => extra.name)]);
  const baselines = (yaml.baselines ?? []).map((baseline, index): BaselineDefinition => {
    const publicThresholds = thresholds(baseline.public, metric.name, `/baselines/${index}/public`, known);
    return {
      name: baseline.name,
      public: publicThresholds,
      private:
        baseline.private === undefined
          ? publicThresholds
          : thresholds(baseline.private, metric.name, `/baselines/${index}/private`, known),
      points: baseline.points ?? 0.5,
    };
  });
  const opensAt = timestamp(yaml.opens_at, '/opens_at');
  const deadline = timestamp(yaml.deadline, '/deadline');
  if (opensAt && deadline && opensAt >= deadline) problem('/deadline', 'is not after opens_at');
  const pointBands = yaml.point_bands;
  if (pointBands) {
    const sorted = [...pointBands].sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity));
    sorted.forEach((band, index) => {
      if (band.from !== undefined && band.to !== undefined && band.from >= band.to)
        problem(`/point_bands/${pointBands.indexOf(band)}`, 'from must be below to');
      const next = sorted[index + 1];
      if (next && (band.to ?? Infinity) > (next.from ?? -Infinity)) problem('/point_bands', 'bands overlap');
    });
  }
  const lateUntil = timestamp(yaml.late?.until, '/late/until');
  if (yaml.late && !deadline) problem('/late', 'a late window needs a deadline');
  if (lateUntil && deadline && lateUntil <= deadline) problem('/late/until', 'is not after the deadline');
  if (yaml.late?.factor !== undefined && yaml.late.policy !== 'penalty')
    problem('/late/factor', 'only applies to policy penalty');
  // Nothing private is revealed before the last chance to submit, unless the TA says otherwise.
  const revealAt =
    timestamp(yaml.reveal_at, '/reveal_at') ??
    defaultRevealAt(deadline, yaml.late?.policy === 'refuse' ? undefined : lateUntil);
  return {
    slug: yaml.slug,
    title: yaml.title,
    description: yaml.description,
    format: yaml.format,
    idColumn: yaml.id_column,
    targetColumns,
    predictionColumn: yaml.prediction_column ?? targetColumns[0] ?? '',
    metric,
    report,
    direction: metric.definition.direction,
    inputKind: metric.definition.input,
    labels,
    dailySubmissions: yaml.limits?.daily_submissions ?? DEFAULT_DAILY_SUBMISSIONS,
    maxUploadBytes: Math.round((yaml.limits?.max_upload_mb ?? DEFAULT_MAX_UPLOAD_MB) * 1024 * 1024),
    opensAt,
    deadline,
    revealAt,
    baselines,
    model: yaml.model
      ? {
          inputType: yaml.model.input.dtype,
          inputShape: yaml.model.input.shape,
          maxParameters: yaml.model.max_parameters,
          overLimit: yaml.model.over_limit ?? 'reject',
          maxSeconds: yaml.model.max_seconds ?? 60,
          batchSize: yaml.model.batch_size ?? 32,
        }
      : undefined,
    images,
    program: yaml.program
      ? {
          command: yaml.program.command,
          sample: yaml.program.sample,
          splits: yaml.program.splits ?? ['public', 'private'],
          timeoutSeconds: yaml.program.timeout_seconds ?? 120,
          memoryMb: yaml.program.memory_mb ?? 1024,
          maxProcesses: yaml.program.max_processes ?? 32,
        }
      : undefined,
    pointBands,
    selectionLimit: yaml.selection_limit ?? DEFAULT_SELECTION_LIMIT,
    dataFiles: yaml.data ?? [],
    publicPrecision: yaml.public_precision,
    late:
      yaml.late && lateUntil
        ? {
            until: lateUntil,
            policy: yaml.late.policy,
            factor: yaml.late.factor ?? (yaml.late.policy === 'penalty' ? 0.5 : 1),
          }
        : undefined,
  };
}

/** Parses and validates task.yaml. Throws BundleError naming the offending key. */
export function parseTaskYaml(text: string): TaskDefinition {
  const document = readTaskYamlDocument(text);
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new BundleError({ code: 'TASK_YAML_INVALID', message: 'task.yaml must be a mapping of keys to values.' });
  }
  const errors = schemaErrors(document);
  if (errors.length > 0) {
    throw new BundleError({
      code: 'TASK_YAML_INVALID',
      message: `task.yaml: ${errors.slice(0, 8).join('; ')}`,
      found: errors[0],
    });
  }
  return validated(document as TaskYaml);
}

/** Aliases one task.yaml may expand: real bundles use none, a "billion laughs" file uses millions. */
const MAX_YAML_ALIASES = 100;

/**
 * task.yaml as a plain document, the form stored with the task. Syntax errors, and alias expansion
 * past the limit (yaml throws a ReferenceError for that), are the TA's: a BundleError with the place.
 */
export function readTaskYamlDocument(text: string): unknown {
  try {
    return parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const position = error.linePos?.[0];
      throw new BundleError({
        code: 'TASK_YAML_SYNTAX',
        message: `task.yaml is not valid YAML: ${error.message.split('\n')[0]}`,
        ...(position ? { line: position.line, column: position.col } : {}),
      });
    }
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new BundleError({
        code: 'TASK_YAML_SYNTAX',
        message: `task.yaml expands more than ${MAX_YAML_ALIASES} aliases; write the values out instead.`,
      });
    }
    throw error;
  }
}

/**
 * Rebuilds the definition from the task.yaml document stored with a task (already validated when the
 * bundle was uploaded), so the API reads rules from one typed place instead of raw JSON.
 */
export function taskDefinitionFromConfig(config: unknown): TaskDefinition {
  if (config === null || typeof config !== 'object')
    throw new BundleError({ code: 'TASK_CONFIG_MISSING', message: 'The stored task has no configuration.' });
  return validated(config as TaskYaml);
}

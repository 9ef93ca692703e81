/**
 * The catalogue of metrics a task may name in `task.yaml`: each with its direction, the kind of input
 * it reads, the options it accepts (validated here, with the offending option named), and the function
 * that computes it. The scorer converts decoded columns into the input kind and calls `compute`.
 */
import { accuracy, precisionRecallF1, type Average } from './classification.ts';
import { MetricError } from './metric-error.ts';
import { averagePrecision, logLoss, rocAuc } from './ranking.ts';
import { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from './regression.ts';
import { corpusBleu, type SmoothMethod } from './text/bleu.ts';
import { BLEU_TOKENIZERS, type BleuTokenizerName } from './text/bleu-tokenizers.ts';
import { answerF1, exactMatch, type AnswerNormalization } from './text/qa.ts';

export type Direction = 'higher' | 'lower';

/** What a metric reads: class codes, real values, 0/1 truth with real scores, or text. */
export type MetricInputKind = 'labels' | 'numbers' | 'scores' | 'texts';

export interface LabelsInput {
  readonly kind: 'labels';
  readonly truth: Int32Array;
  readonly prediction: Int32Array;
  /** Name of every class code. */
  readonly classNames: readonly string[];
}
export interface NumbersInput {
  readonly kind: 'numbers';
  readonly truth: Float64Array;
  readonly prediction: Float64Array;
}
export interface ScoresInput {
  readonly kind: 'scores';
  /** 1 for the positive class, 0 otherwise. */
  readonly truth: Uint8Array;
  readonly scores: Float64Array;
}
export interface TextsInput {
  readonly kind: 'texts';
  /** Reference streams, each parallel to the predictions. */
  readonly references: ReadonlyArray<ReadonlyArray<string | null>>;
  readonly prediction: readonly string[];
}
export type MetricInput = LabelsInput | NumbersInput | ScoresInput | TextsInput;

/** Every option any metric takes, already validated. */
export interface MetricOptions {
  readonly average?: Average;
  /** Label (as written in solution.csv) of the positive class for binary metrics. */
  readonly positiveLabel?: string;
  readonly tokenize?: BleuTokenizerName;
  readonly smoothMethod?: SmoothMethod;
  readonly smoothValue?: number;
  readonly lowercase?: boolean;
  readonly normalization?: AnswerNormalization;
}

export interface MetricDefinition {
  readonly name: string;
  readonly description: string;
  readonly direction: Direction;
  readonly input: MetricInputKind;
  /** Options this metric accepts, by their task.yaml (snake_case) name. */
  readonly options: readonly string[];
  readonly compute: (input: MetricInput, options: MetricOptions) => number;
}

function expectKind<K extends MetricInputKind>(input: MetricInput, kind: K): Extract<MetricInput, { kind: K }> {
  if (input.kind !== kind) throw new MetricError('METRIC_INPUT', `Expected ${kind} input, got ${input.kind}.`);
  return input as Extract<MetricInput, { kind: K }>;
}

function positiveClassCode(input: LabelsInput, options: MetricOptions): number {
  const label = options.positiveLabel ?? '1';
  const code = input.classNames.indexOf(label);
  // A positive class that never occurs has no true or predicted positives: every score is 0.
  return code === -1 ? input.classNames.length : code;
}

function prf(which: 'precision' | 'recall' | 'f1') {
  return (input: MetricInput, options: MetricOptions): number => {
    const labels = expectKind(input, 'labels');
    const average = options.average ?? 'macro';
    const result = precisionRecallF1(labels.truth, labels.prediction, {
      average,
      classCount: labels.classNames.length + (average === 'binary' ? 1 : 0),
      ...(average === 'binary' ? { positiveClass: positiveClassCode(labels, options) } : {}),
    });
    return result[which];
  };
}

function textMetric(
  compute: (
    prediction: readonly string[],
    references: ReadonlyArray<ReadonlyArray<string | null>>,
    normalization: AnswerNormalization,
  ) => number,
) {
  return (input: MetricInput, options: MetricOptions): number => {
    const texts = expectKind(input, 'texts');
    return compute(texts.prediction, texts.references, options.normalization ?? 'squad');
  };
}

const DEFINITIONS: readonly MetricDefinition[] = [
  {
    name: 'accuracy',
    description: 'Fraction of rows predicted exactly right.',
    direction: 'higher',
    input: 'labels',
    options: [],
    compute: (input) => {
      const labels = expectKind(input, 'labels');
      return accuracy(labels.truth, labels.prediction);
    },
  },
  {
    name: 'precision',
    description: 'Precision (scikit-learn precision_score).',
    direction: 'higher',
    input: 'labels',
    options: ['average', 'pos_label'],
    compute: prf('precision'),
  },
  {
    name: 'recall',
    description: 'Recall (scikit-learn recall_score).',
    direction: 'higher',
    input: 'labels',
    options: ['average', 'pos_label'],
    compute: prf('recall'),
  },
  {
    name: 'f1',
    description: 'F1 score (scikit-learn f1_score).',
    direction: 'higher',
    input: 'labels',
    options: ['average', 'pos_label'],
    compute: prf('f1'),
  },
  {
    name: 'mse',
    description: 'Mean squared error.',
    direction: 'lower',
    input: 'numbers',
    options: [],
    compute: (input) => {
      const n = expectKind(input, 'numbers');
      return meanSquaredError(n.truth, n.prediction);
    },
  },
  {
    name: 'rmse',
    description: 'Root mean squared error.',
    direction: 'lower',
    input: 'numbers',
    options: [],
    compute: (input) => {
      const n = expectKind(input, 'numbers');
      return rootMeanSquaredError(n.truth, n.prediction);
    },
  },
  {
    name: 'mae',
    description: 'Mean absolute error.',
    direction: 'lower',
    input: 'numbers',
    options: [],
    compute: (input) => {
      const n = expectKind(input, 'numbers');
      return meanAbsoluteError(n.truth, n.prediction);
    },
  },
  {
    name: 'r2',
    description: 'Coefficient of determination.',
    direction: 'higher',
    input: 'numbers',
    options: [],
    compute: (input) => {
      const n = expectKind(input, 'numbers');
      return r2Score(n.truth, n.prediction);
    },
  },
  {
    name: 'roc_auc',
    description: 'Area under the ROC curve (binary; ties get half credit).',
    direction: 'higher',
    input: 'scores',
    options: ['pos_label'],
    compute: (input) => {
      const s = expectKind(input, 'scores');
      return rocAuc(s.truth, s.scores);
    },
  },
  {
    name: 'average_precision',
    description: 'Average precision (binary).',
    direction: 'higher',
    input: 'scores',
    options: ['pos_label'],
    compute: (input) => {
      const s = expectKind(input, 'scores');
      return averagePrecision(s.truth, s.scores);
    },
  },
  {
    name: 'log_loss',
    description: 'Binary cross-entropy of P(positive).',
    direction: 'lower',
    input: 'scores',
    options: ['pos_label'],
    compute: (input) => {
      const s = expectKind(input, 'scores');
      return logLoss(s.truth, s.scores);
    },
  },
  {
    name: 'exact_match',
    description: 'Fraction of answers equal to a reference after normalisation.',
    direction: 'higher',
    input: 'texts',
    options: ['normalization'],
    compute: textMetric(exactMatch),
  },
  {
    name: 'qa_f1',
    description: 'Mean token-overlap F1 of answers (characters for normalization zh).',
    direction: 'higher',
    input: 'texts',
    options: ['normalization'],
    compute: textMetric(answerF1),
  },
  {
    name: 'bleu',
    description: 'Corpus BLEU with sacreBLEU 2.x semantics, 0-100.',
    direction: 'higher',
    input: 'texts',
    options: ['tokenize', 'smooth_method', 'smooth_value', 'lowercase'],
    compute: (input, options) => {
      const texts = expectKind(input, 'texts');
      return corpusBleu(texts.prediction, texts.references, {
        ...(options.tokenize ? { tokenize: options.tokenize } : {}),
        ...(options.smoothMethod ? { smoothMethod: options.smoothMethod } : {}),
        ...(options.smoothValue !== undefined ? { smoothValue: options.smoothValue } : {}),
        lowercase: options.lowercase ?? false,
      }).score;
    },
  },
];

const BY_NAME = new Map(DEFINITIONS.map((definition) => [definition.name, definition]));

/** All metric names, for help texts and validation messages. */
export const METRIC_NAMES: readonly string[] = DEFINITIONS.map((definition) => definition.name);

/** The metric of that name, or undefined. */
export function findMetric(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}

/** An invalid option in a metric specification, with the option's name. */
export class MetricOptionError extends Error {
  override name = 'MetricOptionError';

  constructor(
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new MetricOptionError(option, `${option} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`);
}

/** Validates task.yaml metric options (snake_case) for `definition` into MetricOptions. */
export function parseMetricOptions(
  definition: MetricDefinition,
  raw: Readonly<Record<string, unknown>>,
): MetricOptions {
  const options: { -readonly [K in keyof MetricOptions]: MetricOptions[K] } = {};
  for (const [option, value] of Object.entries(raw)) {
    if (!definition.options.includes(option)) {
      const accepted =
        definition.options.length > 0 ? `it accepts ${definition.options.join(', ')}` : 'it takes no options';
      throw new MetricOptionError(option, `Metric ${definition.name} has no option ${option}; ${accepted}.`);
    }
    switch (option) {
      case 'average':
        options.average = oneOf(option, value, ['macro', 'micro', 'weighted', 'binary'] as const);
        break;
      case 'pos_label':
        if (typeof value !== 'string' && typeof value !== 'number')
          throw new MetricOptionError(option, 'pos_label must be a label as written in solution.csv.');
        options.positiveLabel = String(value);
        break;
      case 'tokenize':
        options.tokenize = oneOf(option, value, BLEU_TOKENIZERS);
        break;
      case 'smooth_method':
        options.smoothMethod = oneOf(option, value, ['none', 'floor', 'add-k', 'exp'] as const);
        break;
      case 'smooth_value':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          throw new MetricOptionError(option, 'smooth_value must be a non-negative number.');
        options.smoothValue = value;
        break;
      case 'lowercase':
        if (typeof value !== 'boolean') throw new MetricOptionError(option, 'lowercase must be true or false.');
        options.lowercase = value;
        break;
      case 'normalization':
        options.normalization = oneOf(option, value, ['squad', 'zh', 'none'] as const);
        break;
      default:
        throw new MetricOptionError(option, `Unhandled option ${option}.`);
    }
  }
  return options;
}

/**
 * BLEU with sacreBLEU 2.x semantics: corpus statistics summed over segments, n-gram clipping against
 * the per-n-gram maximum over references, the closest reference length (shorter on ties), brevity
 * penalty, and the smoothing methods none / floor / add-k / exp. Scores are on sacreBLEU's 0-100 scale.
 */
import { MetricError } from '../metric-error.ts';
import { bleuTokenizer, type BleuTokenizerName } from './bleu-tokenizers.ts';
import { NgramIndex, SparseCounter } from './ngram-index.ts';
import { pythonRstrip, pythonSplit } from './python-text.ts';

export type SmoothMethod = 'none' | 'floor' | 'add-k' | 'exp';

export interface BleuOptions {
  readonly tokenize?: BleuTokenizerName;
  readonly smoothMethod?: SmoothMethod;
  /** Defaults: floor 0.1, add-k 1. */
  readonly smoothValue?: number;
  readonly lowercase?: boolean;
  /** Drop n-gram orders the hypothesis has none of (for sentence-level BLEU). */
  readonly effectiveOrder?: boolean;
  readonly maxNgramOrder?: number;
}

export interface BleuResult {
  readonly score: number;
  /** Matched n-grams per order (after add-k smoothing, as sacreBLEU reports them). */
  readonly counts: number[];
  /** Hypothesis n-grams per order (after add-k smoothing). */
  readonly totals: number[];
  readonly precisions: number[];
  readonly brevityPenalty: number;
  readonly sysLen: number;
  readonly refLen: number;
}

const SMOOTH_DEFAULTS: Record<SmoothMethod, number> = { none: 0, floor: 0.1, 'add-k': 1, exp: 0 };

interface SegmentStatistics {
  hypothesisLength: number;
  referenceLength: number;
  correct: number[];
  total: number[];
}

function closestReferenceLength(hypothesisLength: number, referenceLengths: readonly number[]): number {
  let closestDifference = -1;
  let closest = -1;
  for (const length of referenceLengths) {
    const difference = Math.abs(hypothesisLength - length);
    if (closestDifference === -1 || difference < closestDifference) {
      closestDifference = difference;
      closest = length;
    } else if (difference === closestDifference && length < closest) {
      closest = length;
    }
  }
  return closest;
}

/**
 * Per-segment statistics for one corpus. Tokens and n-grams are interned once per corpus; the clipping
 * of hypothesis counts by the maximum count in any reference happens in typed arrays.
 */
class BleuStatistics {
  private readonly preprocess: (line: string) => string[];
  private readonly index: NgramIndex;
  private readonly ids: Int32Array[];
  /** Per order: counts within the current reference, the max over references, the hypothesis counts. */
  private readonly referenceCounts: SparseCounter[];
  private readonly referenceMax: SparseCounter[];
  private readonly hypothesisCounts: SparseCounter[];

  constructor(
    private readonly maxOrder: number,
    tokenize: BleuTokenizerName,
    lowercase: boolean,
  ) {
    const tokenizer = bleuTokenizer(tokenize);
    this.preprocess = (line) => pythonSplit(tokenizer(pythonRstrip(lowercase ? line.toLowerCase() : line)));
    this.index = new NgramIndex(maxOrder);
    this.ids = Array.from({ length: maxOrder }, () => new Int32Array(64));
    this.referenceCounts = Array.from({ length: maxOrder }, () => new SparseCounter());
    this.referenceMax = Array.from({ length: maxOrder }, () => new SparseCounter());
    this.hypothesisCounts = Array.from({ length: maxOrder }, () => new SparseCounter());
  }

  private count(line: string, counters: SparseCounter[]): number {
    const length = this.index.index(this.preprocess(line), this.ids);
    for (let n = 0; n < this.maxOrder; n++) {
      const counter = counters[n]!;
      counter.ensure(this.index.sizes[n]!);
      const ids = this.ids[n]!;
      for (let i = 0; i + n < length; i++) counter.add(ids[i]!);
    }
    return length;
  }

  segment(hypothesis: string, references: readonly string[]): SegmentStatistics {
    const referenceLengths: number[] = [];
    for (const reference of references) {
      referenceLengths.push(this.count(reference, this.referenceCounts));
      for (let n = 0; n < this.maxOrder; n++) {
        const single = this.referenceCounts[n]!;
        const max = this.referenceMax[n]!;
        max.ensure(single.counts.length);
        for (let t = 0; t < single.touchedCount; t++) {
          const id = single.touched[t]!;
          const count = single.counts[id]!;
          if (max.counts[id] === 0) max.add(id);
          if (count > max.counts[id]!) max.counts[id] = count;
        }
        single.clear();
      }
    }
    const hypothesisLength = this.count(hypothesis, this.hypothesisCounts);
    const correct = new Array<number>(this.maxOrder).fill(0);
    const total = new Array<number>(this.maxOrder).fill(0);
    for (let n = 0; n < this.maxOrder; n++) {
      const counts = this.hypothesisCounts[n]!;
      const max = this.referenceMax[n]!;
      max.ensure(counts.counts.length);
      for (let t = 0; t < counts.touchedCount; t++) {
        const id = counts.touched[t]!;
        const count = counts.counts[id]!;
        total[n]! += count;
        correct[n]! += Math.min(count, max.counts[id]!);
      }
      counts.clear();
      max.clear();
    }
    return {
      hypothesisLength,
      referenceLength: closestReferenceLength(hypothesisLength, referenceLengths),
      correct,
      total,
    };
  }
}

const safeLog = (value: number): number => (value === 0 ? -9999999999 : Math.log(value));

/** sacreBLEU's `compute_bleu` from sufficient statistics. */
function scoreFromStatistics(
  stats: SegmentStatistics,
  options: Required<Omit<BleuOptions, 'tokenize' | 'lowercase'>>,
): BleuResult {
  const { smoothMethod, smoothValue, effectiveOrder, maxNgramOrder } = options;
  const correct = [...stats.correct];
  const total = [...stats.total];
  const sysLen = stats.hypothesisLength;
  const refLen = stats.referenceLength;
  const brevityPenalty = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(maxNgramOrder).fill(0);
  if (!correct.some((count) => count !== 0)) {
    return { score: 0, counts: correct, totals: total, precisions, brevityPenalty, sysLen, refLen };
  }
  let smoothMteval = 1;
  let order = maxNgramOrder;
  for (let n = 1; n <= maxNgramOrder; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1]! += smoothValue;
      total[n - 1]! += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (effectiveOrder) order = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]!);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / total[n - 1]!;
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]!) / total[n - 1]!;
    }
  }
  let logSum = 0;
  for (let n = 0; n < order; n++) logSum += safeLog(precisions[n]!);
  const score = brevityPenalty * Math.exp(logSum / order);
  return { score, counts: correct, totals: total, precisions, brevityPenalty, sysLen, refLen };
}

function resolved(options: BleuOptions) {
  const smoothMethod = options.smoothMethod ?? 'exp';
  const maxNgramOrder = options.maxNgramOrder ?? 4;
  if (!Number.isInteger(maxNgramOrder) || maxNgramOrder < 1)
    throw new MetricError('METRIC_OPTION', `maxNgramOrder must be a positive integer.`);
  return {
    tokenize: options.tokenize ?? '13a',
    lowercase: options.lowercase ?? false,
    smoothMethod,
    smoothValue: options.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod],
    effectiveOrder: options.effectiveOrder ?? false,
    maxNgramOrder,
  } as const;
}

/**
 * Corpus BLEU. `references` is a list of reference streams, each parallel to `hypotheses`
 * (sacreBLEU's layout); a null entry means that stream has no reference for that segment.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null>>,
  options: BleuOptions = {},
): BleuResult {
  const settings = resolved(options);
  if (references.length === 0) throw new MetricError('METRIC_EMPTY', 'BLEU needs at least one reference stream.');
  for (const stream of references) {
    if (stream.length !== hypotheses.length) {
      throw new MetricError(
        'METRIC_LENGTH',
        `A reference stream has ${stream.length} segments but there are ${hypotheses.length} hypotheses.`,
      );
    }
  }
  const statistics = new BleuStatistics(settings.maxNgramOrder, settings.tokenize, settings.lowercase);
  const sum: SegmentStatistics = {
    hypothesisLength: 0,
    referenceLength: 0,
    correct: new Array<number>(settings.maxNgramOrder).fill(0),
    total: new Array<number>(settings.maxNgramOrder).fill(0),
  };
  for (let i = 0; i < hypotheses.length; i++) {
    const segmentReferences: string[] = [];
    for (const stream of references) {
      const reference = stream[i];
      if (reference !== null && reference !== undefined) segmentReferences.push(reference);
    }
    const segment = statistics.segment(hypotheses[i]!, segmentReferences);
    sum.hypothesisLength += segment.hypothesisLength;
    sum.referenceLength += segment.referenceLength;
    for (let n = 0; n < settings.maxNgramOrder; n++) {
      sum.correct[n]! += segment.correct[n]!;
      sum.total[n]! += segment.total[n]!;
    }
  }
  return scoreFromStatistics(sum, settings);
}

/** Sentence BLEU of one hypothesis against its references (use effectiveOrder: true, as sacreBLEU advises). */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuResult {
  return corpusBleu(
    [hypothesis],
    references.map((reference) => [reference]),
    options,
  );
}

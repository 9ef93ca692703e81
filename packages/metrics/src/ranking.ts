/**
 * Binary ranking metrics (`roc_auc_score`, `average_precision_score`, `log_loss` of scikit-learn 1.2).
 * Truth is 0/1 per row (Uint8Array or Int32Array, 1 = positive), scores are any finite reals.
 * Instead of sorting indices with a comparator, the positive and the negative scores are sorted
 * separately with the native numeric sort and merged: O(n log n), no object per row.
 */
import { assertFinite, assertSameLength, MetricError } from './metric-error.ts';
import { numpySum, numpySumOf } from './numpy-sum.ts';

type BinaryTruth = Uint8Array | Int32Array;

/** Cumulative true/false positive counts at each distinct score, from the highest score down. */
interface Curve {
  readonly truePositives: Float64Array;
  readonly falsePositives: Float64Array;
}

function binaryCurve(truth: BinaryTruth, scores: Float64Array): Curve {
  assertSameLength(truth.length, scores.length);
  assertFinite(scores, 'scores');
  let positives = 0;
  for (let i = 0; i < truth.length; i++) {
    const label = truth[i]!;
    if (label !== 0 && label !== 1)
      throw new MetricError('METRIC_NOT_BINARY', `truth[${i}] is ${label}; binary metrics need 0/1 labels.`);
    positives += label;
  }
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(truth.length - positives);
  for (let i = 0, p = 0, q = 0; i < truth.length; i++) {
    if (truth[i] === 1) positiveScores[p++] = scores[i]!;
    else negativeScores[q++] = scores[i]!;
  }
  positiveScores.sort();
  negativeScores.sort();
  const truePositives = new Float64Array(truth.length);
  const falsePositives = new Float64Array(truth.length);
  let p = positiveScores.length - 1;
  let q = negativeScores.length - 1;
  let tp = 0;
  let fp = 0;
  let points = 0;
  while (p >= 0 || q >= 0) {
    const threshold = Math.max(p >= 0 ? positiveScores[p]! : -Infinity, q >= 0 ? negativeScores[q]! : -Infinity);
    // `==` treats -0 and 0 as one threshold, as numpy's diff does.
    while (p >= 0 && positiveScores[p] === threshold) {
      tp++;
      p--;
    }
    while (q >= 0 && negativeScores[q] === threshold) {
      fp++;
      q--;
    }
    truePositives[points] = tp;
    falsePositives[points] = fp;
    points++;
  }
  return { truePositives: truePositives.subarray(0, points), falsePositives: falsePositives.subarray(0, points) };
}

/** Drops points collinear with their neighbours, as roc_curve(drop_intermediate=True) does. */
function dropIntermediate(curve: Curve): Curve {
  const { truePositives: tps, falsePositives: fps } = curve;
  const n = tps.length;
  if (n <= 2) return curve;
  const keptTp = new Float64Array(n);
  const keptFp = new Float64Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const corner =
      i === 0 ||
      i === n - 1 ||
      fps[i + 1]! - 2 * fps[i]! + fps[i - 1]! !== 0 ||
      tps[i + 1]! - 2 * tps[i]! + tps[i - 1]! !== 0;
    if (corner) {
      keptTp[kept] = tps[i]!;
      keptFp[kept] = fps[i]!;
      kept++;
    }
  }
  return { truePositives: keptTp.subarray(0, kept), falsePositives: keptFp.subarray(0, kept) };
}

/**
 * Area under the ROC curve; ties in scores get half credit. Higher is better. Undefined (an error)
 * when truth has a single class.
 */
export function rocAuc(truth: BinaryTruth, scores: Float64Array): number {
  const curve = dropIntermediate(binaryCurve(truth, scores));
  const n = curve.truePositives.length;
  const positives = curve.truePositives[n - 1]!;
  const negatives = curve.falsePositives[n - 1]!;
  if (positives === 0 || negatives === 0) {
    throw new MetricError('METRIC_SINGLE_CLASS', 'Only one class is present in the truth; ROC AUC is not defined.');
  }
  // roc_curve prepends (0, 0); np.trapz(tpr, fpr) sums dx * (y0 + y1) / 2.
  return numpySumOf(n, (scratch, offset, count) => {
    for (let i = 0; i < count; i++) {
      const at = offset + i;
      const fprBefore = at === 0 ? 0 : curve.falsePositives[at - 1]! / negatives;
      const tprBefore = at === 0 ? 0 : curve.truePositives[at - 1]! / positives;
      const fpr = curve.falsePositives[at]! / negatives;
      const tpr = curve.truePositives[at]! / positives;
      scratch[i] = ((fpr - fprBefore) * (tpr + tprBefore)) / 2;
    }
  });
}

/**
 * Average precision: the step-wise area under the precision-recall curve, without interpolation.
 * Higher is better. Undefined (an error) when truth has no positive row.
 */
export function averagePrecision(truth: BinaryTruth, scores: Float64Array): number {
  const curve = binaryCurve(truth, scores);
  const n = curve.truePositives.length;
  const positives = curve.truePositives[n - 1]!;
  if (positives === 0) {
    throw new MetricError('METRIC_SINGLE_CLASS', 'No positive row in the truth; average precision is not defined.');
  }
  // scikit-learn reverses the curve, appends (recall 0, precision 1) and sums -diff(recall) * precision;
  // the reversed order of summation is kept so the result matches to the last bit.
  const terms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = n - 1 - k;
    const recall = curve.truePositives[i]! / positives;
    const recallNext = i === 0 ? 0 : curve.truePositives[i - 1]! / positives;
    const predicted = curve.truePositives[i]! + curve.falsePositives[i]!;
    const precision = predicted === 0 ? 0 : curve.truePositives[i]! / predicted;
    terms[k] = (recallNext - recall) * precision;
  }
  return -numpySum(terms);
}

/**
 * Mean negative log-likelihood of the true class. Binary form: `probabilities[i]` is P(class 1).
 * Probabilities are clipped to [eps, 1 - eps] with eps = 2^-52 and renormalised, as scikit-learn 1.2
 * does with its default eps="auto". Lower is better.
 */
export function logLoss(truth: BinaryTruth, probabilities: Float64Array): number {
  assertSameLength(truth.length, probabilities.length);
  assertFinite(probabilities, 'probabilities');
  let positives = 0;
  for (let i = 0; i < truth.length; i++) {
    const label = truth[i]!;
    if (label !== 0 && label !== 1)
      throw new MetricError('METRIC_NOT_BINARY', `truth[${i}] is ${label}; log loss here needs 0/1 labels.`);
    positives += label;
  }
  if (positives === 0 || positives === truth.length) {
    throw new MetricError(
      'METRIC_SINGLE_CLASS',
      'Only one class is present in the truth; log loss needs both to know the label set.',
    );
  }
  const eps = Number.EPSILON;
  const sum = numpySumOf(truth.length, (scratch, offset, count) => {
    for (let i = 0; i < count; i++) {
      const p = Math.min(Math.max(probabilities[offset + i]!, eps), 1 - eps);
      const q = 1 - p;
      const total = q + p;
      scratch[i] = -Math.log((truth[offset + i] === 1 ? p : q) / total);
    }
  });
  return sum / truth.length;
}

/**
 * Multi-class log loss: probabilities is row-major n x classCount, truth holds class codes.
 * Same clipping and renormalisation as the binary form.
 */
export function logLossMulticlass(truth: Int32Array, probabilities: Float64Array, classCount: number): number {
  assertSameLength(truth.length, probabilities.length / classCount);
  assertFinite(probabilities, 'probabilities');
  const eps = Number.EPSILON;
  const sum = numpySumOf(truth.length, (scratch, offset, count) => {
    for (let i = 0; i < count; i++) {
      const base = (offset + i) * classCount;
      let total = 0;
      for (let c = 0; c < classCount; c++) total += Math.min(Math.max(probabilities[base + c]!, eps), 1 - eps);
      const own = Math.min(Math.max(probabilities[base + truth[offset + i]!]!, eps), 1 - eps);
      scratch[i] = -Math.log(own / total);
    }
  });
  return sum / truth.length;
}

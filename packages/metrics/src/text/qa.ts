/**
 * Extractive-QA metrics. `squad` normalisation is the SQuAD v1.1 evaluator's (lower-case, drop ASCII
 * punctuation, drop the articles a/an/the, collapse whitespace); `zh` drops ASCII and CJK punctuation
 * and all whitespace and compares characters, for Chinese answers (HW7); `none` compares the raw text
 * with surrounding whitespace trimmed. Scores are fractions in [0, 1].
 */
import { assertSameLength } from '../metric-error.ts';
import { pythonSplit, pythonStrip } from './python-text.ts';

export type AnswerNormalization = 'squad' | 'zh' | 'none';

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
// Python's \b with a Unicode pattern: word characters are letters, digits and underscore.
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;
// CJK and full-width punctuation seen in Chinese QA answers, plus every Unicode punctuation mark.
const ANY_PUNCTUATION = /[\p{P}\p{S}]/gu;
// Python's str.split() also splits on the separators \x1c-\x1f and NEL, so SQuAD's tokens do.
// eslint-disable-next-line no-control-regex -- these control characters are the point
const ANY_WHITESPACE = /[\s\x1c-\x1f\x85]/gu;

/** Normalises one answer for comparison. */
export function normalizeAnswer(answer: string, normalization: AnswerNormalization): string {
  switch (normalization) {
    case 'squad':
      return pythonSplit(answer.toLowerCase().replace(ASCII_PUNCTUATION, '').replace(ARTICLES, ' ')).join(' ');
    case 'zh':
      return answer.toLowerCase().replace(ANY_PUNCTUATION, '').replace(ANY_WHITESPACE, '');
    case 'none':
      return pythonStrip(answer);
  }
}

function answerTokens(normalized: string, normalization: AnswerNormalization): string[] {
  return normalization === 'zh' ? Array.from(normalized) : pythonSplit(normalized);
}

function tokenF1(prediction: string[], truth: string[]): number {
  if (prediction.length === 0 || truth.length === 0) return prediction.length === truth.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of truth) counts.set(token, (counts.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of prediction) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      same++;
      counts.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / prediction.length;
  const recall = same / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Fraction of predictions equal to one of their references after normalisation.
 * `references[s][i]` is stream s's answer for question i (null when that stream has none).
 */
export function exactMatch(
  predictions: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null>>,
  normalization: AnswerNormalization = 'squad',
): number {
  assertSameLength(references[0]?.length ?? 0, predictions.length);
  let matches = 0;
  for (let i = 0; i < predictions.length; i++) {
    const prediction = normalizeAnswer(predictions[i]!, normalization);
    if (references.some((stream) => stream[i] != null && normalizeAnswer(stream[i]!, normalization) === prediction))
      matches++;
  }
  return matches / predictions.length;
}

/** Mean over questions of the best token-overlap F1 against any reference (characters for `zh`). */
export function answerF1(
  predictions: readonly string[],
  references: ReadonlyArray<ReadonlyArray<string | null>>,
  normalization: AnswerNormalization = 'squad',
): number {
  assertSameLength(references[0]?.length ?? 0, predictions.length);
  let total = 0;
  for (let i = 0; i < predictions.length; i++) {
    const prediction = answerTokens(normalizeAnswer(predictions[i]!, normalization), normalization);
    let best = 0;
    for (const stream of references) {
      const reference = stream[i];
      if (reference == null) continue;
      best = Math.max(
        best,
        tokenF1(prediction, answerTokens(normalizeAnswer(reference, normalization), normalization)),
      );
    }
    total += best;
  }
  return total / predictions.length;
}

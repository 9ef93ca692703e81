export {
  accuracy,
  confusionMatrix,
  precisionRecallF1,
  topKAccuracy,
  type Average,
  type AverageOptions,
  type PrecisionRecallF1,
} from './classification.ts';
export { mean } from './aggregate.ts';
export { MetricError } from './metric-error.ts';
export { numpyMean, numpySum } from './numpy-sum.ts';
export { averagePrecision, logLoss, logLossMulticlass, rocAuc } from './ranking.ts';
export { meanAbsoluteError, meanSquaredError, r2Score, rootMeanSquaredError } from './regression.ts';
export {
  findMetric,
  METRIC_NAMES,
  MetricOptionError,
  parseMetricOptions,
  type Direction,
  type LabelsInput,
  type MetricDefinition,
  type MetricInput,
  type MetricInputKind,
  type MetricOptions,
  type NumbersInput,
  type ScoresInput,
  type TextsInput,
} from './registry.ts';
export { corpusBleu, sentenceBleu, type BleuOptions, type BleuResult, type SmoothMethod } from './text/bleu.ts';
export { BLEU_TOKENIZERS, bleuTokenizer, type BleuTokenizerName } from './text/bleu-tokenizers.ts';
export { answerF1, exactMatch, normalizeAnswer, type AnswerNormalization } from './text/qa.ts';
export { featureMoments, frechetDistance, type FeatureMatrix, type FeatureMoments } from './images/frechet.ts';

/**
 * HW5 (machine translation, BLEU with the zh tokenizer, plain-text predictions), HW7 (extractive QA,
 * exact match of Chinese answers) and HW8 (anomaly detection, ROC AUC), 2023 sizes and baselines.
 */
import { baselinesYaml, usageOf, type Homework } from './homework.ts';
import type { SeededRandom } from './random.ts';

const CHARACTERS = Array.from(
  '我們今天去學校這個模型很大翻譯非常困難他說你好世界機器學習資料台灣人中國來了是的不在有好天氣老師學生問題答案電腦語言',
);

function chineseSentence(random: SeededRandom, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += CHARACTERS[random.integer(CHARACTERS.length)];
  return `${text}。`;
}

/** Copies a reference, rewriting a share of its characters: a translation of some quality. */
function noisyCopy(random: SeededRandom, reference: string, keep: number): string {
  return Array.from(reference, (character) =>
    character !== '。' && random.next() > keep ? CHARACTERS[random.integer(CHARACTERS.length)] : character,
  ).join('');
}

const csvField = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);

export const hw5Translation: Homework = {
  slug: 'hw5-translation',
  rows: 4000,
  generate(random) {
    const references: string[] = [];
    const solution = ['id,reference,Usage'];
    for (let id = 0; id < this.rows; id++) {
      const reference = chineseSentence(random, 8 + random.integer(20));
      references.push(reference);
      solution.push(`${id},${csvField(reference)},${usageOf(random, 0.5)}`);
    }
    return {
      taskYaml: `slug: hw5-translation
title: "HW5: Machine translation (English to Traditional Chinese)"
description: "Translate each test sentence. Upload prediction.txt: one translation per line, in test order, no header."
format: text
id_column: id
target_column: reference
metric: { name: bleu, options: { tokenize: zh } }
limits: { daily_submissions: 5, max_upload_mb: 2 }
${baselinesYaml([15.05, 18.44, 23.57, 30.08])}`,
      solutionCsv: `${solution.join('\n')}\n`,
      sampleSubmission: `${references.map((reference) => noisyCopy(random, reference, 0.8)).join('\n')}\n`,
      sampleFileName: 'prediction.txt',
    };
  },
};

export const hw7Qa: Homework = {
  slug: 'hw7-qa',
  rows: 3504,
  generate(random) {
    const solution = ['ID,Answer,Usage'];
    const sample = ['ID,Answer'];
    for (let id = 0; id < this.rows; id++) {
      // Commas are removed from answers in this homework's format.
      const answer = chineseSentence(random, 2 + random.integer(6)).replace('。', '');
      solution.push(`${id},${answer},${usageOf(random, 0.5)}`);
      sample.push(`${id},${random.next() < 0.7 ? answer : answer.slice(1)}`);
    }
    return {
      taskYaml: `slug: hw7-qa
title: "HW7: Extractive question answering (Chinese)"
description: "Answer each question with a span of its paragraph. Upload result.csv with the header ID,Answer; remove commas from answers."
format: csv
id_column: ID
target_column: Answer
metric: { name: exact_match, options: { normalization: none } }
limits: { daily_submissions: 5, max_upload_mb: 1 }
${baselinesYaml([0.46481, 0.67139, 0.75936, 0.84108])}`,
      solutionCsv: `${solution.join('\n')}\n`,
      sampleSubmission: `${sample.join('\n')}\n`,
      sampleFileName: 'result.csv',
    };
  },
};

export const hw8Anomaly: Homework = {
  slug: 'hw8-anomaly',
  rows: 19_636,
  generate(random) {
    const solution = ['ID,label,Usage'];
    const sample = ['ID,score'];
    for (let id = 0; id < this.rows; id++) {
      const anomalous = random.next() < 0.3 ? 1 : 0;
      solution.push(`${id},${anomalous},${usageOf(random, 0.5)}`);
      // Reconstruction errors: anomalies tend to score higher.
      sample.push(`${id},${(random.normal() + 1.6 * anomalous).toFixed(6)}`);
    }
    return {
      taskYaml: `slug: hw8-anomaly
title: "HW8: Anomaly detection"
description: "Give every test image an anomaly score (any real number, higher means more anomalous). Upload a CSV with the header ID,score."
format: csv
id_column: ID
target_column: label
prediction_column: score
metric: roc_auc
limits: { daily_submissions: 5, max_upload_mb: 2 }
${baselinesYaml([0.53458, 0.71931, 0.7895, 0.82221])}`,
      solutionCsv: `${solution.join('\n')}\n`,
      sampleSubmission: `${sample.join('\n')}\n`,
      sampleFileName: 'prediction.csv',
    };
  },
};

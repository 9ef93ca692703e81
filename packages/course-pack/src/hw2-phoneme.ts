/**
 * HW2 (2023): frame-level phoneme classification. 527,364 test frames, `Id,Class` with 41 classes,
 * accuracy (higher is better), 2023 public baselines 0.49798 / 0.66440 / 0.74944 / 0.83017 (COURSE.md).
 */
import { baselinesYaml, usageOf, type Homework } from './homework.ts';
import type { SeededRandom } from './random.ts';

const CLASSES = 41;
const TASK_YAML = `slug: hw2-phoneme
title: "HW2: Phoneme classification"
description: |
  Predict the phoneme class (0-40) of every test frame.
  Upload prediction.csv with the header Id,Class and one row per frame (Id 0..N-1).
format: csv
id_column: Id
target_column: Class
metric: accuracy
report: [{ name: f1, options: { average: macro } }]
labels: [${Array.from({ length: CLASSES }, (_, i) => i).join(', ')}]
limits: { daily_submissions: 5, max_upload_mb: 16 }
${baselinesYaml([0.49798, 0.6644, 0.74944, 0.83017])}`;

export const hw2Phoneme: Homework = {
  slug: 'hw2-phoneme',
  rows: 527_364,
  generate(random: SeededRandom) {
    const solution: string[] = ['Id,Class,Usage'];
    const sample: string[] = ['Id,Class'];
    // Phonemes come in runs of frames, and silence (class 0) is the most frequent.
    let current = 0;
    for (let id = 0; id < this.rows; id++) {
      if (random.next() < 0.12) current = random.next() < 0.2 ? 0 : 1 + random.integer(CLASSES - 1);
      solution.push(`${id},${current},${usageOf(random, 0.5)}`);
      sample.push(`${id},${random.next() < 0.7 ? current : random.integer(CLASSES)}`);
    }
    return {
      taskYaml: TASK_YAML,
      solutionCsv: `${solution.join('\n')}\n`,
      sampleSubmission: `${sample.join('\n')}\n`,
      sampleFileName: 'prediction.csv',
    };
  },
};

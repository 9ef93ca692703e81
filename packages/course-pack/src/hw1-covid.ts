/**
 * HW1 (2023): COVID-19 case regression. 997 test rows, `id,tested_positive`, MSE (lower is better),
 * 2023 public baselines simple/medium/strong/boss = 1.96993 / 1.15678 / 0.92619 / 0.81456 (COURSE.md).
 */
import { baselinesYaml, usageOf, type Homework } from './homework.ts';
import type { SeededRandom } from './random.ts';

const TASK_YAML = `slug: hw1-covid
title: "HW1: COVID-19 cases prediction"
description: |
  Predict the percentage of tested-positive cases (tested_positive) for each test row.
  Upload pred.csv with the header id,tested_positive and one row per test id (0-based).
format: csv
id_column: id
target_column: tested_positive
metric: mse
report: [rmse, mae]
limits: { daily_submissions: 5, max_upload_mb: 2 }
${baselinesYaml([1.96993, 1.15678, 0.92619, 0.81456])}`;

export const hw1Covid: Homework = {
  slug: 'hw1-covid',
  rows: 997,
  generate(random: SeededRandom) {
    const solution = ['id,tested_positive,Usage'];
    const sample = ['id,tested_positive'];
    for (let id = 0; id < this.rows; id++) {
      // Positive rates of US states: mostly 2-30 %, skewed.
      const truth = Math.max(0.5, 12 + 6 * random.normal() + 4 * Math.abs(random.normal()));
      solution.push(`${id},${truth.toFixed(5)},${usageOf(random, 0.5)}`);
      sample.push(`${id},${(truth + random.normal()).toFixed(5)}`);
    }
    return {
      taskYaml: TASK_YAML,
      solutionCsv: `${solution.join('\n')}\n`,
      sampleSubmission: `${sample.join('\n')}\n`,
      sampleFileName: 'pred.csv',
    };
  },
};

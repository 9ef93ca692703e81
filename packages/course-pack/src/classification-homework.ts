/**
 * Classification homeworks share one shape (an id column, a label column, accuracy against 2023's
 * baselines); this builds their bundles and synthetic data from a description.
 */
import { baselinesYaml, usageOf, type Homework } from './homework.ts';
import type { SeededRandom } from './random.ts';

export interface ClassificationSpec {
  readonly slug: string;
  readonly title: string;
  readonly description: string;
  readonly idColumn: string;
  readonly labelColumn: string;
  readonly rows: number;
  readonly id: (row: number, random: SeededRandom) => string;
  readonly labels: readonly string[];
  /** 2023 public baselines simple/medium/strong/boss (COURSE.md). */
  readonly baselines: readonly [number, number, number, number];
  readonly fileName: string;
  readonly maxUploadMb: number;
  /** Share of rows the demo sample gets right (somewhere between the baselines). */
  readonly sampleAccuracy: number;
  readonly publicShare?: number;
}

const yamlString = (text: string) => JSON.stringify(text);

export function classificationHomework(spec: ClassificationSpec): Homework {
  const taskYaml = `slug: ${spec.slug}
title: ${yamlString(spec.title)}
description: ${yamlString(spec.description)}
format: csv
id_column: ${spec.idColumn}
target_column: ${spec.labelColumn}
metric: accuracy
labels: [${spec.labels.map(yamlString).join(', ')}]
limits: { daily_submissions: 5, max_upload_mb: ${spec.maxUploadMb} }
${baselinesYaml(spec.baselines)}`;
  return {
    slug: spec.slug,
    rows: spec.rows,
    generate(random) {
      const solution = [`${spec.idColumn},${spec.labelColumn},Usage`];
      const sample = [`${spec.idColumn},${spec.labelColumn}`];
      const seen = new Set<string>();
      for (let row = 0; row < spec.rows; row++) {
        let id = spec.id(row, random);
        while (seen.has(id)) id = spec.id(row, random);
        seen.add(id);
        const truth = spec.labels[random.integer(spec.labels.length)]!;
        solution.push(`${id},${truth},${usageOf(random, spec.publicShare ?? 0.5)}`);
        sample.push(
          `${id},${random.next() < spec.sampleAccuracy ? truth : spec.labels[random.integer(spec.labels.length)]}`,
        );
      }
      return {
        taskYaml,
        solutionCsv: `${solution.join('\n')}\n`,
        sampleSubmission: `${sample.join('\n')}\n`,
        sampleFileName: spec.fileName,
      };
    },
  };
}

export const zeroPadded = (width: number) => (row: number) => String(row).padStart(width, '0');

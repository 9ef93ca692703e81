/** A course-pack homework: its task.yaml, and generators for synthetic hidden data of the real size. */
import type { SeededRandom } from './random.ts';

export interface GeneratedBundle {
  readonly taskYaml: string;
  readonly solutionCsv: string;
  /** A plausible student prediction for the demo (truth plus noise), not part of the bundle. */
  readonly sampleSubmission: string;
  readonly sampleFileName: string;
}

export interface Homework {
  readonly slug: string;
  readonly rows: number;
  generate(random: SeededRandom): GeneratedBundle;
}

/** Kaggle-style split: each row is public with probability `publicShare`. */
export function usageOf(random: SeededRandom, publicShare: number): string {
  return random.next() < publicShare ? 'Public' : 'Private';
}

/** The task.yaml lines of the course's four public baselines (simple, medium, strong, boss). */
export function baselinesYaml(thresholds: readonly [number, number, number, number]): string {
  const names = ['simple', 'medium', 'strong', 'boss'];
  return `baselines:\n${thresholds.map((threshold, i) => `  - { name: ${names[i]}, public: ${threshold} }`).join('\n')}\n`;
}

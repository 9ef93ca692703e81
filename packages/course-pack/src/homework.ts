/** A course-pack homework: its task.yaml, and generators for synthetic hidden data of the real size. */
import type { SeededRandom } from './random.ts';

export interface GeneratedBundle {
  readonly taskYaml: string;
  /** Absent for a program task, whose program/ holds its own hidden data. */
  readonly solutionCsv?: string;
  /** More bundle files by path in the bundle (program/replay.py). */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** A plausible student upload for the demo (truth plus noise), not part of the bundle. */
  readonly sampleSubmission: string | Uint8Array;
  readonly sampleFileName: string;
}

export interface Homework {
  readonly slug: string;
  readonly rows: number;
  generate(random: SeededRandom): GeneratedBundle;
}

/** A homework whose hidden data are images, encoded asynchronously (HW6, HW10). */
export interface ImageHomework {
  readonly slug: string;
  /** Images in an upload. */
  readonly rows: number;
  generate(random: SeededRandom): Promise<GeneratedBundle>;
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

import { loadTask, scoreSubmission } from '@mljudge/scoring';
import { describe, expect, it } from 'vitest';
import { COURSE_PACK, hw2Phoneme } from './index.ts';
import { SeededRandom } from './random.ts';

describe('course pack', () => {
  it.each(COURSE_PACK.map((hw) => [hw.slug, hw] as const))(
    '%s generates a valid bundle of the real size whose sample scores between the baselines',
    (_slug, homework) => {
      const bundle = homework.generate(new SeededRandom(7));
      const task = loadTask(bundle.taskYaml, Buffer.from(bundle.solutionCsv!));
      expect(task.solution.rowCount).toBe(homework.rows);
      expect(task.publicRows.length / homework.rows).toBeCloseTo(0.5, 1);
      const report = scoreSubmission(task, Buffer.from(bundle.sampleSubmission as string));
      const thresholds = task.definition.baselines.map((b) => b.public[task.definition.metric.name]!);
      expect(report.public.value).toBeGreaterThan(Math.min(...thresholds) * 0.5);
      expect(report.public.value).toBeLessThan(Math.max(...thresholds) * 2);
    },
  );

  it('is deterministic for a seed', () => {
    expect(hw2Phoneme.generate(new SeededRandom(1)).solutionCsv!.slice(0, 2000)).toBe(
      hw2Phoneme.generate(new SeededRandom(1)).solutionCsv!.slice(0, 2000),
    );
  });
});

/**
 * A scoring thread's first HW2 job ran at half the speed of its second: every loop of the readers,
 * the snapshot and the metrics still ran in V8's interpreter. A thread that is about to wait for
 * jobs first scores a small made-up task of each common kind (a few milliseconds), so that its
 * first real job runs compiled code.
 */
import { loadTaskWithSnapshot } from './loaded-task.ts';
import { scoreSubmission } from './score-submission.ts';

const ROWS = 20_000;

function madeUpTask(metric: string, value: (row: number) => string) {
  const yaml = `slug: warm-up\ntitle: Warm-up\nformat: csv\nid_column: Id\ntarget_column: Target\nmetric: ${metric}\n`;
  let solution = 'Id,Target,Usage\n';
  let submission = 'Id,Target\n';
  for (let row = 0; row < ROWS; row++) {
    solution += `${row},${value(row)},${row % 2 === 0 ? 'Public' : 'Private'}\n`;
    submission += `${row},${value(row * 7)}\n`;
  }
  return { yaml, solution: Buffer.from(solution), submission: Buffer.from(submission) };
}

/** Loads (through a snapshot) and scores made-up label and number tasks; returns nothing. */
export function warmUpScoring(): void {
  for (const task of [
    madeUpTask('accuracy', (row) => String(row % 41)),
    madeUpTask('mse', (row) => ((row % 1000) / 7).toFixed(4)),
  ]) {
    const parsed = loadTaskWithSnapshot(task.yaml, task.solution, null);
    const loaded = loadTaskWithSnapshot(task.yaml, task.solution, parsed.snapshot);
    scoreSubmission(loaded.task, task.submission);
    scoreSubmission(parsed.task, task.submission);
  }
}

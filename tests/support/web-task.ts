/**
 * A classification task for the web tests: 20 hidden rows (10 public, 10 private), four labels,
 * four baselines, and prediction files of a chosen accuracy on each split.
 */
import { multipart } from './multipart.ts';

export const WEB_TASK_SLUG = 'food-mini';
const ROWS = 20;
const truth = (row: number) => row % 4;

export function webTaskBundle(deadline: Date, options: { revealAt?: Date } = {}) {
  const taskYaml = [
    `slug: ${WEB_TASK_SLUG}`,
    'title: Food classification (mini)',
    'description: Classify each test image into one of four dishes.',
    'format: csv',
    'id_column: Id',
    'target_column: Category',
    'metric: accuracy',
    'labels: [0, 1, 2, 3]',
    'limits: { daily_submissions: 5, max_upload_mb: 1 }',
    `deadline: ${deadline.toISOString()}`,
    ...(options.revealAt ? [`reveal_at: ${options.revealAt.toISOString()}`] : []),
    'baselines:',
    '  - { name: simple, public: 0.3, private: 0.3, points: 2.5 }',
    '  - { name: medium, public: 0.5, private: 0.5, points: 2.5 }',
    '  - { name: strong, public: 0.7, private: 0.7, points: 2.5 }',
    '  - { name: boss, public: 0.9, private: 0.9, points: 2.5 }',
  ].join('\n');
  const solution =
    [
      'Id,Category,Usage',
      ...Array.from({ length: ROWS }, (_, row) => `${row},${truth(row)},${row < ROWS / 2 ? 'Public' : 'Private'}`),
    ].join('\n') + '\n';
  return multipart([
    { field: 'task', filename: 'task.yaml', content: taskYaml },
    { field: 'solution', filename: 'solution.csv', content: solution },
  ]);
}

/** A prediction file right on `publicCorrect` of the 10 public rows and `privateCorrect` of the 10 private ones. */
export function predictions(publicCorrect: number, privateCorrect = publicCorrect): string {
  const lines = ['Id,Category'];
  for (let row = 0; row < ROWS; row++) {
    const index = row < ROWS / 2 ? row : row - ROWS / 2;
    const correct = index < (row < ROWS / 2 ? publicCorrect : privateCorrect);
    lines.push(`${row},${correct ? truth(row) : (truth(row) + 1) % 4}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Nothing a student is told comes from the hidden test set unless the task declares it public:
 * rejections of a task without `labels:` never describe the truth's labels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/multipart.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack();
const COURSE = 'hidden2023';
let ta: string;
let student: string;

async function pushTask(taskYaml: string, solution: string) {
  const body = multipart([
    { field: 'task', filename: 'task.yaml', content: taskYaml },
    { field: 'solution', filename: 'solution.csv', content: solution },
  ]);
  const response = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/tasks`,
    payload: body.payload,
    headers: { ...body.headers, ...bearer(ta) },
  });
  expect(response.statusCode, response.body).toBe(201);
}

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, COURSE);
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT')).token;
});

describe('a task without declared labels', () => {
  it('rejects a file with more unknown labels than the limit without naming a hidden label, at no quota cost', async () => {
    const rows = 100_005;
    const hidden = ['alpha-hidden', 'bravo-hidden', 'zulu-secret-class'];
    await pushTask(
      'slug: open-labels\ntitle: Open labels\nformat: csv\nid_column: id\ntarget_column: label\nmetric: accuracy\nlimits: { max_upload_mb: 8 }\n',
      ['id,label,Usage', ...Array.from({ length: rows }, (_, i) => `${i},${hidden[i % 3]},Public`)].join('\n') + '\n',
    );
    const probe = ['id,label', ...Array.from({ length: rows }, (_, i) => `${i},u${i}`)].join('\n') + '\n';
    const answer = await submit(stack.app, student, 'open-labels', probe, { query: '?wait=60' });
    const { submission, quota } = answer.json();
    expect(submission.status).toBe('REJECTED');
    expect(submission.error.code).toBe('CSV_INVALID_LABEL');
    for (const label of hidden) expect(JSON.stringify(submission)).not.toContain(label);
    expect(quota.used).toBe(0);
  });

  it('explains a metric that cannot use the predictions without describing the truth', async () => {
    await pushTask(
      'slug: open-binary\ntitle: Binary F1\nformat: csv\nid_column: id\ntarget_column: label\nmetric: { name: f1, options: { average: binary } }\n',
      'id,label,Usage\n0,0,Public\n1,1,Public\n2,0,Public\n3,1,Public\n',
    );
    const answer = await submit(stack.app, student, 'open-binary', 'id,label\n0,0\n1,1\n2,2\n3,7\n', {
      query: '?wait=60',
    });
    const { submission } = answer.json();
    expect(submission.status).toBe('REJECTED');
    expect(submission.error.code).toBe('METRIC_NOT_BINARY');
    expect(submission.error.detail).toBe('The predictions use more than two labels; f1 compares two.');
  });
});

/**
 * A rescoring that starts while a worker is scoring the same submission with the old data: the stale
 * result must not land, and the submission must end scored once with the data of the rescoring.
 */
import { claimSubmission, recordScores } from '@mljudge/db';
import { describe, expect, it, beforeAll } from 'vitest';
import { bundleUpload } from '../support/bundles.ts';
import { eventually } from '../support/eventually.ts';
import { holdFile } from '../support/held-file.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack({ worker: false });
const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n';
let ta: Awaited<ReturnType<typeof seedUser>>;
let student: Awaited<ReturnType<typeof seedUser>>;
let courseSlug: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db);
  courseSlug = course.slug;
  ta = await seedUser(stack.database.db, course.id, 'TA');
  student = await seedUser(stack.database.db, course.id, 'STUDENT');
  const upload = bundleUpload('covid-mini');
  const created = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta.token) },
  });
  expect(created.statusCode).toBe(201);
});

async function queued(): Promise<string> {
  const response = await submit(stack.app, student.token, 'covid-mini', GOOD);
  expect(response.statusCode).toBe(202);
  return response.json().submission.id;
}

describe('rescoring during scoring', () => {
  it('refuses the commit of an attempt that claimed the submission before the rescoring, then scores it afresh', async () => {
    const id = await queued();
    const stale = await claimSubmission(stack.database.db, id);
    expect(stale?.attempt).toBe(1);
    const rescore = await stack.app.inject({
      method: 'POST',
      url: `/v1/tasks/covid-mini/rescore?course=${courseSlug}`,
      payload: { reason: 'new labels' },
      headers: bearer(ta.token),
    });
    expect(rescore.statusCode).toBe(202);
    const committed = await recordScores(stack.database.db, {
      submissionId: id,
      attempt: 1,
      scorerVersion: 'old',
      taskVersion: 1,
      scoringMs: 1,
      splits: [{ split: 'PUBLIC', value: 999, metrics: { mse: 999 } }],
    });
    expect(committed).toBeNull();
    await stack.startWorker();
    const result = await waitForResult(stack.app, student.token, id);
    await stack.worker!.close();
    stack.worker = null;
    expect(result.status).toBe('SCORED');
    expect(result.attempts).toBe(2);
    expect(result.public.value).not.toBe(999);
    expect(await stack.database.prisma.score.count({ where: { submissionId: id } })).toBe(2);
    const progress = (
      await stack.app.inject({
        method: 'GET',
        url: `/v1/tasks/covid-mini/rescore?course=${courseSlug}`,
        headers: bearer(ta.token),
      })
    ).json();
    expect(progress.pending).toBe(0);
  });

  it('scores again within the same job when a rescoring sends the submission back while it is scored', async () => {
    const id = await queued();
    const row = await stack.database.prisma.submission.findUniqueOrThrow({ where: { id } });
    const held = await holdFile(stack.storage.pathOf(row.artifactKey));
    await stack.startWorker();
    try {
      await eventually(
        async () => (await stack.database.prisma.submission.findUniqueOrThrow({ where: { id } })).status === 'RUNNING',
        'the worker to claim it',
      );
      // The TA presses "rescore" while the first pass is on the scoring thread.
      const rescore = await stack.app.inject({
        method: 'POST',
        url: `/v1/tasks/covid-mini/rescore?course=${courseSlug}`,
        payload: { reason: 'while scoring' },
        headers: bearer(ta.token),
      });
      expect(rescore.statusCode).toBe(202);
      await held.release();
      const result = await waitForResult(stack.app, student.token, id);
      expect(result.status).toBe('SCORED');
    } finally {
      await stack.worker!.close();
      stack.worker = null;
    }
    const finished = await stack.database.prisma.submission.findUniqueOrThrow({
      where: { id },
      include: { scores: true },
    });
    // One job, two passes: the first pass's commit was refused, the second one landed.
    expect(finished.attempts).toBe(2);
    expect(finished.interruptions).toBe(0);
    expect(finished.scores).toHaveLength(2);
  });
});

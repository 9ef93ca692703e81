/**
 * A rescoring that starts while a worker is scoring the same submission with the old data: the stale
 * result must not land, and the submission must end scored once with the data of the rescoring.
 */
import { claimSubmission, recordScores, startRescore } from '@mljudge/db';
import { describe, expect, it, beforeAll } from 'vitest';
import { loadConfig } from '@mljudge/config';
import { ScoringPool } from '../../apps/worker/src/scoring-pool.ts';
import { scoreSubmissionJob } from '../../apps/worker/src/score-job.ts';
import type { RunnerPool } from '../../apps/worker/src/onnx/runner-pool.ts';
import { bundleUpload } from '../support/bundles.ts';
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
    expect(committed).toBe(false);
    await stack.startWorker();
    const result = await waitForResult(stack.app, student.token, id);
    await stack.worker!.close();
    stack.worker = null;
    expect(result.status).toBe('SCORED');
    expect(result.attempts).toBe(2);
    expect(result.public.value).not.toBe(999);
    expect(await stack.database.db.score.count({ where: { submissionId: id } })).toBe(2);
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
    const config = loadConfig({});
    const real = new ScoringPool(1, config.worker.scoringTimeoutMs);
    const task = await stack.database.db.task.findFirstOrThrow({
      where: { slug: 'covid-mini', course: { slug: courseSlug } },
    });
    let rescored = false;
    // The TA presses "rescore" while the first pass is on the scoring thread.
    const pool = {
      run: async (request: Parameters<ScoringPool['run']>[0]) => {
        if (!rescored) {
          rescored = true;
          await startRescore(stack.database.db, task.id, ta.user.id, 'while scoring');
        }
        return real.run(request);
      },
    } as unknown as ScoringPool;
    const logs: string[] = [];
    try {
      const outcome = await scoreSubmissionJob(
        {
          db: stack.database.db,
          storage: stack.storage,
          pool,
          runner: {} as RunnerPool,
          providers: ['cpu'],
          log: (message) => logs.push(message),
        },
        { submissionId: id },
        { attempt: 1, maxAttempts: 5 },
      );
      expect(outcome).toBe('scored');
    } finally {
      await real.close();
    }
    const row = await stack.database.db.submission.findUniqueOrThrow({ where: { id }, include: { scores: true } });
    expect(row.status).toBe('SCORED');
    expect(row.attempts).toBe(2);
    expect(row.scores).toHaveLength(2);
    expect(logs).toContain('submission requeued by a rescoring while it was scored; scoring it again');
  });
});

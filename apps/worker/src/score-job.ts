/**
 * The `score-submission` handler: claim the submission in Postgres, score it on a thread, commit the
 * result with a guarded transition. A rejected file is a normal outcome (no retry); anything else throws
 * so BullMQ retries it with backoff.
 */
import { performance } from 'node:perf_hooks';
import { claimSubmission, findTaskById, recordScores, rejectSubmission, type Database } from '@mljudge/db';
import type { JobContext, JobPayload } from '@mljudge/queue';
import { SOLUTION_FILE, TASK_FILE } from '@mljudge/scoring';
import { storageKeys, type LocalStorage } from '@mljudge/storage';
import type { ScoringPool } from './scoring-pool.ts';

export interface ScoreJobDependencies {
  readonly db: Database;
  readonly storage: LocalStorage;
  readonly pool: ScoringPool;
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
}

export type ScoreJobResult = 'scored' | 'rejected' | 'already-finished' | 'superseded';

export async function scoreSubmissionJob(deps: ScoreJobDependencies, payload: JobPayload<'score-submission'>, context: JobContext): Promise<ScoreJobResult> {
  const claim = await claimSubmission(deps.db, payload.submissionId);
  if (!claim) return 'already-finished';
  const task = await findTaskById(deps.db, claim.taskId);
  if (!task) throw new Error(`Task ${claim.taskId} of submission ${claim.id} is gone.`);
  const started = performance.now();
  const outcome = await deps.pool.run({
    taskKey: `${task.id}:${task.version}:${task.bundleSha256}`,
    taskYamlPath: deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, TASK_FILE)),
    solutionPath: deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, SOLUTION_FILE)),
    artifactPath: deps.storage.pathOf(claim.artifactKey),
  });
  const scoringMs = Math.round(performance.now() - started);
  if (outcome.kind === 'rejected') {
    const committed = await rejectSubmission(deps.db, claim.id, claim.attempt, outcome.detail.code, { ...outcome.detail }, scoringMs);
    deps.log('submission rejected', { submissionId: claim.id, code: outcome.detail.code, attempt: context.attempt });
    return committed ? 'rejected' : 'superseded';
  }
  const { report } = outcome;
  const committed = await recordScores(deps.db, {
    submissionId: claim.id,
    attempt: claim.attempt,
    scorerVersion: report.scorerVersion,
    taskVersion: task.version,
    scoringMs,
    splits: [
      { split: 'PUBLIC', value: report.public.value, metrics: report.public.metrics },
      ...(report.private ? [{ split: 'PRIVATE' as const, value: report.private.value, metrics: report.private.metrics }] : []),
    ],
  });
  deps.log('submission scored', { submissionId: claim.id, public: report.public.value, scoringMs, committed });
  return committed ? 'scored' : 'superseded';
}

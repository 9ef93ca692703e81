/**
 * The `score-submission` handler: claim the submission in Postgres, score it on a thread, commit the
 * result with a guarded transition. A rejected file is a normal outcome (no retry); anything else throws
 * so BullMQ retries it with backoff.
 */
import { performance } from 'node:perf_hooks';
import { claimSubmission, findTaskById, recordScores, rejectSubmission, type Database } from '@mljudge/db';
import type { JobContext, JobPayload } from '@mljudge/queue';
import { INPUTS_FILE, SOLUTION_FILE, TASK_FILE, taskDefinitionFromConfig } from '@mljudge/scoring';
import { storageKeys, type LocalStorage } from '@mljudge/storage';
import type { RunnerPool } from './onnx/runner-pool.ts';
import type { RunInfo } from './onnx/runner-protocol.ts';
import type { ScoringPool } from './scoring-pool.ts';

export interface ScoreJobDependencies {
  readonly db: Database;
  readonly storage: LocalStorage;
  readonly pool: ScoringPool;
  readonly runner: RunnerPool;
  /** Execution providers in order of preference, for model submissions. */
  readonly providers: readonly string[];
  readonly log: (message: string, fields?: Record<string, unknown>) => void;
  /** Called once the submission is claimed (RUNNING), so live views can show it being scored. */
  readonly onClaimed?: ((submissionId: string) => void) | undefined;
}

export type ScoreJobResult = 'scored' | 'rejected' | 'already-finished' | 'superseded';

/** How many times one job scores a submission that a rescoring keeps sending back to the queue. */
const MAX_RESCORED_PASSES = 3;

export async function scoreSubmissionJob(
  deps: ScoreJobDependencies,
  payload: JobPayload<'score-submission'>,
  context: JobContext,
): Promise<ScoreJobResult> {
  for (let pass = 1; ; pass++) {
    const result = await scoreOnce(deps, payload, context);
    if (result !== 'superseded' || pass === MAX_RESCORED_PASSES) return result;
    // Superseded by a rescoring (the row is QUEUED again), not by another worker's attempt: its job id is
    // this job's, so BullMQ will not run a second one; score it again here.
    const row = await deps.db.submission.findUnique({ where: { id: payload.submissionId }, select: { status: true } });
    if (row?.status !== 'QUEUED') return result;
    deps.log('submission requeued by a rescoring while it was scored; scoring it again', {
      submissionId: payload.submissionId,
      pass,
    });
  }
}

async function scoreOnce(
  deps: ScoreJobDependencies,
  payload: JobPayload<'score-submission'>,
  context: JobContext,
): Promise<ScoreJobResult> {
  const claim = await claimSubmission(deps.db, payload.submissionId);
  if (!claim) return 'already-finished';
  deps.onClaimed?.(claim.id);
  const task = await findTaskById(deps.db, claim.taskId);
  if (!task) throw new Error(`Task ${claim.taskId} of submission ${claim.id} is gone.`);
  const started = performance.now();
  const files = {
    taskKey: `${task.id}:${task.version}:${task.bundleSha256}`,
    taskYamlPath: deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, TASK_FILE)),
    solutionPath: deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, SOLUTION_FILE)),
  };
  let runInfo: RunInfo | null = null;
  let outcome;
  if (task.format === 'onnx') {
    const rules = taskDefinitionFromConfig(task.config).model!;
    const result = await deps.runner.run(
      {
        ...files,
        inputsPath: deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, INPUTS_FILE)),
        modelPath: deps.storage.pathOf(claim.artifactKey),
        providers: deps.providers,
      },
      rules.maxSeconds,
    );
    outcome = result.outcome;
    runInfo = result.run;
  } else {
    outcome = await deps.pool.run({ ...files, artifactPath: deps.storage.pathOf(claim.artifactKey) });
  }
  const scoringMs = Math.round(performance.now() - started);
  if (outcome.kind === 'rejected') {
    const committed = await rejectSubmission(
      deps.db,
      claim.id,
      claim.attempt,
      outcome.detail.code,
      { ...outcome.detail },
      scoringMs,
    );
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
    ...(runInfo ? { runInfo } : {}),
    splits: [
      { split: 'PUBLIC', value: report.public.value, metrics: report.public.metrics },
      ...(report.private
        ? [{ split: 'PRIVATE' as const, value: report.private.value, metrics: report.private.metrics }]
        : []),
    ],
  });
  deps.log('submission scored', { submissionId: claim.id, public: report.public.value, scoringMs, committed });
  return committed ? 'scored' : 'superseded';
}

/**
 * The `score-submission` job: claim the submission in Postgres, score it off the main thread (a
 * scoring thread for files, the runner process for models), commit the result with a guarded
 * transition, and announce it. A rejected file is a normal outcome (no retry). A failure on our side
 * hands the claim back and throws, so the queue retries with backoff; a file whose scoring keeps
 * stopping its worker (killed, stalled) ends FAILED after a few interruptions instead of forever.
 */
import { performance } from 'node:perf_hooks';
import { LRUCache } from 'lru-cache';
import {
  claimSubmission,
  failSubmission,
  findTaskById,
  recordScores,
  rejectSubmission,
  releaseSubmission,
  submissionStatus,
  type ClaimedSubmission,
  type Committed,
  type Database,
  type Task,
  type TaskInCourse,
} from '@mljudge/db';
import type { JobHandler } from '@mljudge/queue';
import { SubmissionRejection } from '@mljudge/formats';
import {
  definitionOf,
  EVALUATION_FOLDER,
  INPUTS_FILE,
  PROGRAM_FOLDER,
  ProgramFailure,
  scoreWithProgram,
  SOLUTION_FILE,
  TASK_FILE,
  type ModelRunInfo,
  type ProgramDiagnostics,
  type TaskDefinition,
} from '@mljudge/scoring';
import { storageKeys, type LocalStorage } from '@mljudge/storage';
import type { Logger } from 'pino';
import type { Announcer } from '../announcer.ts';
import type { WorkerMetrics } from '../metrics.ts';
import type { RunnerPool } from '../models/runner-pool.ts';
import type { ScoringOutcome } from '../scoring/protocol.ts';
import type { ScoringPool } from '../scoring/scoring-pool.ts';

export interface ScoreJobDependencies {
  readonly db: Database;
  readonly storage: LocalStorage;
  readonly pool: ScoringPool;
  readonly runner: RunnerPool;
  readonly announcer: Announcer;
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
  /** Execution providers in order of preference, for model submissions. */
  readonly providers: readonly string[];
  /** Interruptions (attempts that never finished) after which a submission ends FAILED. */
  readonly maxInterruptions: number;
  /** Host folders scoring programs may read besides /usr. */
  readonly sandboxReadOnly: readonly string[];
}

type PassResult = 'scored' | 'rejected' | 'program-failed' | 'gave-up' | 'already-finished' | 'superseded';

/** A scoring program that broke its contract: the TAs' to fix, so it is recorded, not retried. */
type JobOutcome = ScoringOutcome | { readonly kind: 'program-failed'; readonly diagnostics: ProgramDiagnostics };

const PROGRAM_FAILED = {
  message:
    "The task's scoring program failed on this file; the TAs have been told and can rescore it. It does not count against your quota.",
};

/** How many times one job scores a submission that a rescoring keeps sending back to the queue. */
const MAX_RESCORED_PASSES = 3;

const FAILED_ON_OUR_SIDE = {
  message:
    'Scoring failed repeatedly for a reason on our side; the TAs have been told. It does not count against your quota.',
};

// A task version never changes (a new bundle is a new version), so its row can be kept: the claim
// names the current version, and only a version this worker has not seen costs a query.
const taskVersions = new LRUCache<string, TaskInCourse>({ max: 256 });

async function taskOf(deps: ScoreJobDependencies, claim: ClaimedSubmission): Promise<TaskInCourse> {
  const key = `${claim.taskId}:${claim.taskVersion}`;
  const cached = taskVersions.get(key);
  if (cached) return cached;
  const task = await findTaskById(deps.db, claim.taskId);
  if (!task) throw new Error(`Task ${claim.taskId} of submission ${claim.id} is gone.`);
  taskVersions.set(`${task.id}:${task.version}`, task);
  return task;
}

/** Where a task version's files are, and the key its decoded form is cached under in every thread. */
export function taskFilesOf(
  storage: LocalStorage,
  task: Pick<Task, 'id' | 'version' | 'bundleKey' | 'bundleSha256'>,
): { readonly taskKey: string; readonly taskYamlPath: string; readonly solutionPath: string } {
  const file = (name: string) => storage.pathOf(storageKeys.taskFile(task.bundleKey, name));
  return {
    taskKey: `${task.id}:${task.version}:${task.bundleSha256}`,
    taskYamlPath: file(TASK_FILE),
    solutionPath: file(SOLUTION_FILE),
  };
}

async function score(deps: ScoreJobDependencies, claim: ClaimedSubmission) {
  const task = await taskOf(deps, claim);
  const rules = definitionOf(task);
  const file = (name: string) => deps.storage.pathOf(storageKeys.taskFile(task.bundleKey, name));
  const common = taskFilesOf(deps.storage, task);
  let outcome: JobOutcome;
  let run: ModelRunInfo | null = null;
  if (rules.format === 'program') {
    outcome = await programOutcome(deps, rules, file(PROGRAM_FOLDER), deps.storage.pathOf(claim.artifactKey));
  } else if (rules.format === 'onnx') {
    const result = await deps.runner.run(
      {
        kind: 'model',
        ...common,
        inputsPath: file(INPUTS_FILE),
        modelPath: deps.storage.pathOf(claim.artifactKey),
        providers: deps.providers,
      },
      rules.model!.maxSeconds,
    );
    outcome = result.outcome;
    run = result.run;
  } else if (rules.format === 'images') {
    const result = await deps.runner.run(
      {
        kind: 'images',
        taskKey: common.taskKey,
        taskYamlPath: common.taskYamlPath,
        evaluationDir: file(EVALUATION_FOLDER),
        archivePath: deps.storage.pathOf(claim.artifactKey),
        providers: deps.providers,
      },
      rules.images!.maxSeconds,
    );
    outcome = result.outcome;
    run = result.run;
  } else {
    outcome = await deps.pool.run({ ...common, artifactPath: deps.storage.pathOf(claim.artifactKey) });
  }
  return { task, outcome, run };
}

/** Runs the task's program in the sandbox (one process per submission, on this job's slot). */
async function programOutcome(
  deps: ScoreJobDependencies,
  rules: TaskDefinition,
  programDir: string,
  submissionPath: string,
): Promise<JobOutcome> {
  try {
    const report = await scoreWithProgram(rules, { programDir, submissionPath, extraReadOnly: deps.sandboxReadOnly });
    return { kind: 'scored', report };
  } catch (error) {
    if (error instanceof SubmissionRejection) return { kind: 'rejected', detail: error.detail };
    if (error instanceof ProgramFailure) return { kind: 'program-failed', diagnostics: error.diagnostics };
    throw error;
  }
}

async function commit(
  deps: ScoreJobDependencies,
  claim: ClaimedSubmission,
  scored: Awaited<ReturnType<typeof score>>,
  scoringMs: number,
): Promise<{ result: PassResult; committed: Committed | null }> {
  const { task, outcome, run } = scored;
  if (outcome.kind === 'program-failed') {
    // The TAs see the program's diagnostics on the submission; students see PROGRAM_FAILED's message.
    const failed = await failSubmission(deps.db, claim.id, 'PROGRAM_FAILED', {
      ...PROGRAM_FAILED,
      program: outcome.diagnostics,
    });
    deps.metrics.failures.inc({ reason: 'program-failed' });
    deps.log.warn(
      { submissionId: claim.id, task: task.slug, reason: outcome.diagnostics.reason },
      'scoring program failed on a submission',
    );
    return {
      result: failed ? 'program-failed' : 'superseded',
      // Webhooks announce scores and rejections; a failure on the TAs' side plans none.
      committed: failed ? { deliveries: [] } : null,
    };
  }
  if (outcome.kind === 'rejected') {
    const committed = await rejectSubmission(
      deps.db,
      claim.id,
      claim.attempt,
      outcome.detail.code,
      { ...outcome.detail },
      scoringMs,
    );
    return { result: committed ? 'rejected' : 'superseded', committed };
  }
  const { report } = outcome;
  const committed = await recordScores(deps.db, {
    submissionId: claim.id,
    attempt: claim.attempt,
    scorerVersion: report.scorerVersion,
    taskVersion: task.version,
    scoringMs,
    ...(run ? { runInfo: run } : {}),
    splits: [
      { split: 'PUBLIC', value: report.public.value, metrics: report.public.metrics },
      ...(report.private
        ? [{ split: 'PRIVATE' as const, value: report.private.value, metrics: report.private.metrics }]
        : []),
    ],
  });
  return { result: committed ? 'scored' : 'superseded', committed };
}

async function scoreOnce(deps: ScoreJobDependencies, submissionId: string): Promise<PassResult> {
  const claim = await claimSubmission(deps.db, submissionId);
  if (!claim) return 'already-finished';
  if (claim.interruptions >= deps.maxInterruptions) {
    // Each earlier attempt died mid-way: this file is likely what kills the worker. Stop trying.
    const failed = await failSubmission(deps.db, claim.id, 'GRADER_CRASHED', {
      message: `Scoring this file stopped the grader ${claim.interruptions} times; the TAs have been told. It does not count against your quota.`,
    });
    if (failed) await deps.announcer.finished(claim, 'FAILED');
    deps.metrics.failures.inc({ reason: 'grader-crashed' });
    deps.log.error(
      { submissionId: claim.id, interruptions: claim.interruptions },
      'submission failed: it interrupted its worker too often',
    );
    return 'gave-up';
  }
  await deps.announcer.started(claim);
  const started = performance.now();
  let result: PassResult;
  let committed: Committed | null;
  let scored;
  try {
    scored = await score(deps, claim);
    ({ result, committed } = await commit(deps, claim, scored, Math.round(performance.now() - started)));
  } catch (error) {
    // Our side failed; hand the claim back so the retry does not count as an interruption.
    await releaseSubmission(deps.db, claim.id, claim.attempt).catch(() => undefined);
    throw error;
  }
  deps.metrics.scoringSeconds.observe(
    { task: scored.task.slug, outcome: result },
    (performance.now() - started) / 1000,
  );
  if (committed) {
    const status = result === 'scored' ? 'SCORED' : result === 'program-failed' ? 'FAILED' : 'REJECTED';
    await deps.announcer.finished(claim, status, committed.deliveries);
    deps.log.debug({ submissionId: claim.id, outcome: result, attempt: claim.attempt }, 'submission finished');
  }
  return result;
}

export function scoreSubmissionHandler(deps: ScoreJobDependencies): JobHandler<'score-submission'> {
  return {
    async run(payload, context) {
      deps.metrics.attempts.inc({ attempt: String(Math.min(context.attempt, 5)) });
      for (let pass = 1; ; pass++) {
        const result = await scoreOnce(deps, payload.submissionId);
        if (result !== 'superseded' || pass === MAX_RESCORED_PASSES) return;
        // Superseded by a rescoring (the row is QUEUED again), not by another worker's attempt: its
        // job id is this job's, so the queue will not run a second one; score it again here.
        if ((await submissionStatus(deps.db, payload.submissionId)) !== 'QUEUED') return;
      }
    },
    async exhausted(payload, error) {
      const failed = await failSubmission(deps.db, payload.submissionId, 'SCORING_FAILED', {
        ...FAILED_ON_OUR_SIDE,
        cause: error.message.slice(0, 500),
      });
      if (failed) await deps.announcer.finished({ id: payload.submissionId, ...failed }, 'FAILED');
      deps.metrics.failures.inc({ reason: 'retries-exhausted' });
      deps.log.error({ submissionId: payload.submissionId, err: error }, 'submission failed after its last attempt');
    },
  };
}

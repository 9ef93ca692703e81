/**
 * Turns rows into response bodies. The only place that decides what a student may see: private scores
 * appear only for staff, or for the owner once the task's reveal time has passed.
 */
import type { Score, Submission, Task } from '@mljudge/db';
import type { RejectionDetail } from '@mljudge/formats';
import { problemTypeOf, rejectionProblem } from '@mljudge/scoring';
import type { Static } from 'typebox';
import type { SubmissionView } from './schemas/submissions.ts';
import type { TaskSummary } from './schemas/tasks.ts';
import { taskYamlOf } from './task-access.ts';

type SubmissionBody = Static<typeof SubmissionView>;

export function privateScoresVisible(staff: boolean, revealAt: Date | null, now: Date): boolean {
  return staff || (revealAt !== null && revealAt <= now);
}

function splitScore(scores: readonly Score[], split: 'PUBLIC' | 'PRIVATE') {
  const score = scores.find((s) => s.split === split);
  return score ? { value: score.value, metrics: score.metrics as Record<string, number> } : null;
}

function errorOf(submission: Submission): SubmissionBody['error'] {
  const code = submission.errorCode ?? 'UNKNOWN';
  const stored = (submission.errorDetail ?? {}) as Partial<RejectionDetail>;
  if (submission.status === 'REJECTED') return { ...rejectionProblem({ ...stored, code, message: String(stored.message ?? '') }) };
  if (submission.status === 'FAILED') return { type: problemTypeOf(code), title: 'Scoring failed', status: 500, code, detail: String(stored.message ?? '') };
  return null;
}

export function submissionView(submission: Submission & { scores: Score[] }, taskSlug: string, showPrivate: boolean): SubmissionBody {
  return {
    id: submission.id,
    task: taskSlug,
    status: submission.status,
    statusUrl: `/v1/submissions/${submission.id}`,
    originalName: submission.originalName,
    message: submission.message,
    bytes: submission.artifactBytes,
    sha256: submission.artifactSha256,
    createdAt: submission.createdAt.toISOString(),
    startedAt: submission.startedAt?.toISOString() ?? null,
    finishedAt: submission.finishedAt?.toISOString() ?? null,
    attempts: submission.attempts,
    scorerVersion: submission.scorerVersion,
    public: splitScore(submission.scores, 'PUBLIC'),
    private: showPrivate ? splitScore(submission.scores, 'PRIVATE') : null,
    error: errorOf(submission),
  };
}

export function taskSummary(task: Task, courseSlug: string): Static<typeof TaskSummary> {
  const yaml = taskYamlOf(task.config);
  const metric = task.metric as { name: string; options?: Record<string, unknown> };
  const idColumn = yaml.id_column ?? 'id';
  const predictionColumn = yaml.prediction_column ?? (typeof yaml.target_column === 'string' ? yaml.target_column : yaml.target_column[0]!);
  const submissionExample = task.format === 'text' ? 'one prediction per line, in test order, no header' : `${idColumn},${predictionColumn}`;
  return {
    slug: task.slug,
    course: courseSlug,
    title: task.title,
    description: task.description,
    format: task.format,
    submissionExample,
    metric: { name: metric.name, options: metric.options ?? {} },
    direction: task.direction === 'HIGHER' ? 'higher' : 'lower',
    opensAt: task.opensAt?.toISOString() ?? null,
    deadline: task.deadline?.toISOString() ?? null,
    revealAt: task.revealAt?.toISOString() ?? null,
    maxUploadBytes: task.maxUploadBytes,
    version: task.version,
    baselines: (yaml.baselines ?? []).map((baseline) => ({
      name: baseline.name,
      thresholds: typeof baseline.public === 'number' ? { [metric.name]: baseline.public } : baseline.public,
      points: baseline.points ?? 0.5,
    })),
  };
}

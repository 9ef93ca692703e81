/**
 * A submission as a reader may see it. Private scores, private baselines and private history appear
 * only when the context says the reader may see them (staff, or a student after the reveal who can no
 * longer submit); public scores are rounded to the task's precision for everyone else. API answers,
 * live events and webhook payloads are all built here, so no path shows more than another.
 */
import type { Score, SubmissionWithScores } from '@mljudge/db';
import type { RejectionDetail } from '@mljudge/formats';
import { baselinesPassed, roundScore, type Baseline, type MetricDirections } from '@mljudge/grading';
import { baselinesOf, directionsOf, problemTypeOf, rejectionProblem, type TaskDefinition } from '@mljudge/scoring';

/** What a reader may see of a task's submissions, decided once per request. */
export interface SubmissionViewContext {
  readonly taskSlug: string;
  /** Staff, or the private scores are revealed to this reader. */
  readonly showPrivate: boolean;
  /** Decimal places for public scores; undefined shows them exactly (staff, or after the reveal). */
  readonly precision: number | undefined;
  readonly baselines: readonly Baseline[];
  readonly directions: MetricDirections;
  /** The reader is on the course's staff: they also see why a scoring program failed. */
  readonly staff: boolean;
}

export function viewContext(
  taskSlug: string,
  definition: TaskDefinition,
  showPrivate: boolean,
  staff = false,
): SubmissionViewContext {
  return {
    taskSlug,
    showPrivate,
    staff,
    precision: showPrivate ? undefined : definition.publicPrecision,
    baselines: baselinesOf(definition),
    directions: directionsOf(definition),
  };
}

export interface ScoreView {
  readonly value: number;
  readonly metrics: Record<string, number>;
}

export interface ProblemView {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly line?: number;
  readonly column?: number;
  readonly columnName?: string;
  readonly expected?: string;
  readonly found?: string;
  /** Staff only: what the task's scoring program did (its exit, its stderr) when it failed. */
  readonly program?: Readonly<Record<string, unknown>>;
}

export interface SubmissionView {
  readonly id: string;
  readonly task: string;
  readonly status: SubmissionWithScores['status'];
  readonly statusUrl: string;
  readonly originalName: string;
  readonly message: string | null;
  readonly bytes: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly attempts: number;
  readonly scorerVersion: string | null;
  readonly public: ScoreView | null;
  readonly private: ScoreView | null;
  readonly selected: boolean;
  readonly late: boolean;
  readonly baselines: { readonly public: string[]; readonly private: string[] | null };
  readonly model: Record<string, unknown> | null;
  readonly history: Array<{
    split: 'public' | 'private';
    value: number;
    scorerVersion: string;
    taskVersion: number;
    reason: string;
    replacedAt: string;
  }>;
  readonly error: ProblemView | null;
}

function splitScore(scores: readonly Score[], split: 'PUBLIC' | 'PRIVATE'): ScoreView | null {
  const score = scores.find((s) => s.split === split);
  return score ? { value: score.value, metrics: score.metrics as Record<string, number> } : null;
}

function rounded(score: ScoreView | null, precision: number | undefined): ScoreView | null {
  if (!score || precision === undefined) return score;
  return {
    value: roundScore(score.value, precision),
    metrics: Object.fromEntries(
      Object.entries(score.metrics).map(([name, value]) => [name, roundScore(value, precision)]),
    ),
  };
}

function errorOf(submission: SubmissionWithScores, staff: boolean): ProblemView | null {
  const code = submission.errorCode ?? 'UNKNOWN';
  const stored = (submission.errorDetail ?? {}) as Partial<RejectionDetail> & { program?: unknown };
  if (submission.status === 'REJECTED')
    return rejectionProblem({ ...stored, code, message: String(stored.message ?? '') });
  if (submission.status === 'FAILED') {
    return {
      type: problemTypeOf(code),
      title: 'Scoring failed',
      status: 500,
      code,
      detail: String(stored.message ?? ''),
      // A program's stderr may print hidden data: it goes to the TAs and nobody else.
      ...(staff && isRecord(stored.program) ? { program: stored.program } : {}),
    };
  }
  return null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function submissionView(submission: SubmissionWithScores, context: SubmissionViewContext): SubmissionView {
  const publicScore = splitScore(submission.scores, 'PUBLIC');
  const privateScore = context.showPrivate ? splitScore(submission.scores, 'PRIVATE') : null;
  const history = submission.history
    .filter((entry) => context.showPrivate || entry.split === 'PUBLIC')
    .map((entry) => ({
      split: entry.split === 'PUBLIC' ? ('public' as const) : ('private' as const),
      value: context.precision === undefined ? entry.value : roundScore(entry.value, context.precision),
      scorerVersion: entry.scorerVersion,
      taskVersion: entry.taskVersion,
      reason: entry.reason,
      replacedAt: entry.replacedAt.toISOString(),
    }));
  return {
    id: submission.id,
    task: context.taskSlug,
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
    public: rounded(publicScore, context.precision),
    private: privateScore,
    selected: submission.selected,
    late: submission.late,
    baselines: {
      public: baselinesPassed(context.baselines, 'public', publicScore?.metrics ?? null, context.directions).names,
      private: context.showPrivate
        ? baselinesPassed(context.baselines, 'private', privateScore?.metrics ?? null, context.directions).names
        : null,
    },
    model: (submission.runInfo as Record<string, unknown> | null) ?? null,
    history,
    error: errorOf(submission, context.staff),
  };
}

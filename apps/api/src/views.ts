/**
 * Turns rows into response bodies. The only place that decides what a student may see: private scores
 * appear only for staff, or for the owner once the task's reveal time has passed.
 */
import type { Score, ScoreHistory, Submission, Task } from '@mljudge/db';
import { baselinesPassed, roundScore, type Baseline, type MetricDirections } from '@mljudge/grading';
import type { TaskDefinition } from '@mljudge/scoring';
import { baselinesOf, directionsOf, rulesOf } from './task-rules.ts';
import type { RejectionDetail } from '@mljudge/formats';
import { problemTypeOf, rejectionProblem } from '@mljudge/scoring';
import type { Static } from 'typebox';
import type { SubmissionView } from './schemas/submissions.ts';
import type { TaskSummary } from './schemas/tasks.ts';

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
  if (submission.status === 'REJECTED')
    return { ...rejectionProblem({ ...stored, code, message: String(stored.message ?? '') }) };
  if (submission.status === 'FAILED')
    return {
      type: problemTypeOf(code),
      title: 'Scoring failed',
      status: 500,
      code,
      detail: String(stored.message ?? ''),
    };
  return null;
}

/** What a reader may see of a task's submissions, decided once per request. */
export interface SubmissionViewContext {
  readonly taskSlug: string;
  /** Staff, or the private scores are revealed. */
  readonly showPrivate: boolean;
  /** Decimal places for public scores; undefined shows them exactly (staff, or after the reveal). */
  readonly precision: number | undefined;
  readonly baselines: readonly Baseline[];
  readonly directions: MetricDirections;
}

export function viewContext(taskSlug: string, definition: TaskDefinition, showPrivate: boolean): SubmissionViewContext {
  return {
    taskSlug,
    showPrivate,
    precision: showPrivate ? undefined : definition.publicPrecision,
    baselines: baselinesOf(definition),
    directions: directionsOf(definition),
  };
}

function rounded(score: { value: number; metrics: Record<string, number> } | null, precision: number | undefined) {
  if (!score || precision === undefined) return score;
  return {
    value: roundScore(score.value, precision),
    metrics: Object.fromEntries(
      Object.entries(score.metrics).map(([name, value]) => [name, roundScore(value, precision)]),
    ),
  };
}

export function submissionView(
  submission: Submission & { scores: Score[]; history?: ScoreHistory[] },
  context: SubmissionViewContext,
): SubmissionBody {
  const publicScore = splitScore(submission.scores, 'PUBLIC');
  const privateScore = context.showPrivate ? splitScore(submission.scores, 'PRIVATE') : null;
  const history = (submission.history ?? [])
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
    model: (submission.runInfo as SubmissionBody['model']) ?? null,
    history,
    error: errorOf(submission),
  };
}

export function taskSummary(task: Task, courseSlug: string): Static<typeof TaskSummary> {
  const rules = rulesOf(task);
  const submissionExample =
    rules.format === 'text'
      ? 'one prediction per line, in test order, no header'
      : rules.format === 'onnx'
        ? `an ONNX model: input ${rules.model!.inputType} [batch, ${rules.model!.inputShape.join(', ')}], output logits [batch, ${rules.labels!.length}]`
        : `${rules.idColumn},${rules.predictionColumn}`;
  return {
    slug: task.slug,
    course: courseSlug,
    title: task.title,
    description: task.description,
    format: task.format,
    submissionExample,
    exampleFile: exampleFileOf(rules),
    labels: rules.labels ? [...rules.labels] : null,
    dailySubmissions: rules.dailySubmissions,
    selectionLimit: rules.selectionLimit,
    late: rules.late
      ? { until: rules.late.until.toISOString(), policy: rules.late.policy, factor: rules.late.factor }
      : null,
    metric: { name: rules.metric.name, options: { ...rules.metric.rawOptions } },
    direction: rules.direction,
    opensAt: task.opensAt?.toISOString() ?? null,
    deadline: task.deadline?.toISOString() ?? null,
    revealAt: task.revealAt?.toISOString() ?? null,
    maxUploadBytes: task.maxUploadBytes,
    version: task.version,
    // Public thresholds only: private ones may be kept from students until the reveal.
    baselines: rules.baselines.map((baseline) => ({
      name: baseline.name,
      thresholds: { ...baseline.public },
      points: baseline.points,
    })),
  };
}

const EXAMPLE_ROWS = 3;

/** A few lines in the task's format with made-up ids and values: what the task page shows as an example. */
function exampleFileOf(rules: TaskDefinition): string | null {
  const value = (row: number) => {
    if (rules.labels && rules.labels.length > 0) return rules.labels[row % rules.labels.length]!;
    if (rules.inputKind === 'texts') return row === 0 ? 'a predicted sentence' : `prediction ${row + 1}`;
    return ['0.5', '12.25', '-3.0'][row % 3]!;
  };
  const rows = Array.from({ length: EXAMPLE_ROWS }, (_, row) => row);
  if (rules.format === 'onnx') return null;
  if (rules.format === 'text') return rows.map(value).join('\n') + '\n';
  const quote = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  return (
    [`${rules.idColumn},${rules.predictionColumn}`, ...rows.map((row) => `${row},${quote(value(row))}`)].join('\n') +
    '\n'
  );
}

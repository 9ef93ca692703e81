/** Schemas of the submissions resource: uploads, reads, final selection. */
import Type from 'typebox';
import { CourseQuery, DateTime, Nullable, Problem, Quota, Slug, Text, Uuid } from '../../schemas/common.ts';

export const SplitScore = Type.Object({ value: Type.Number(), metrics: Type.Record(Type.String(), Type.Number()) });

export const SubmissionView = Type.Object({
  id: Uuid,
  task: Slug,
  status: Type.Union([
    Type.Literal('QUEUED'),
    Type.Literal('RUNNING'),
    Type.Literal('SCORED'),
    Type.Literal('REJECTED'),
    Type.Literal('FAILED'),
  ]),
  statusUrl: Type.String(),
  originalName: Type.String(),
  message: Nullable(Type.String()),
  bytes: Type.Integer(),
  sha256: Type.String(),
  createdAt: DateTime,
  startedAt: Nullable(DateTime),
  finishedAt: Nullable(DateTime),
  attempts: Type.Integer(),
  scorerVersion: Nullable(Type.String()),
  public: Nullable(SplitScore),
  private: Nullable(SplitScore),
  selected: Type.Boolean({ description: 'marked for the private board' }),
  late: Type.Boolean({ description: 'uploaded in the late window: scored, never ranked' }),
  baselines: Type.Object({
    public: Type.Array(Type.String(), { description: 'baselines this submission passes on the public board' }),
    private: Nullable(Type.Array(Type.String())),
  }),
  model: Nullable(
    Type.Object(
      {
        parameters: Type.Integer({ description: 'parameters counted from the ONNX initializers by the grader' }),
        provider: Type.String({ description: 'execution provider that ran the model (cuda, webgpu, cpu)' }),
        rows: Type.Integer(),
        sessionMs: Type.Integer(),
        inferenceMs: Type.Integer(),
        rowsPerSecond: Type.Integer(),
      },
      { description: 'model submissions: how the grader ran the model' },
    ),
  ),
  history: Type.Array(
    Type.Object({
      split: Type.Union([Type.Literal('public'), Type.Literal('private')]),
      value: Type.Number(),
      scorerVersion: Type.String(),
      taskVersion: Type.Integer(),
      reason: Type.String(),
      replacedAt: DateTime,
    }),
    { description: 'earlier scores replaced by a rescoring, and why' },
  ),
  error: Nullable(Problem),
});

export const SubmissionCreated = Type.Object({ submission: SubmissionView, quota: Quota });
export const SubmissionList = Type.Object({ submissions: Type.Array(SubmissionView) });

export const SubmitQuery = Type.Object({
  ...CourseQuery.properties,
  wait: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 600, description: 'seconds to wait for the score before answering 202' }),
  ),
});

export const SubmitHeaders = Type.Object({
  'idempotency-key': Type.Optional(Text({ minLength: 1, maxLength: 200 })),
});

export const Selection = Type.Object({ selected: Type.Boolean() });
export const SelectionSaved = Type.Object({
  id: Uuid,
  selected: Type.Boolean(),
  selectedCount: Type.Integer(),
  limit: Type.Integer(),
});

import Type from 'typebox';
import { DateTime, Nullable, Quota, Slug } from './common.ts';

export const Baseline = Type.Object({
  name: Type.String(),
  thresholds: Type.Record(Type.String(), Type.Number(), {
    description: 'public-board thresholds by metric; all must be met',
  }),
  points: Type.Number(),
});

export const TaskSummary = Type.Object({
  slug: Slug,
  course: Type.String(),
  title: Type.String(),
  description: Nullable(Type.String()),
  format: Type.String({ description: 'csv, text or onnx' }),
  submissionExample: Type.String({ description: 'the first lines of a valid submission' }),
  exampleFile: Nullable(
    Type.String({
      description: 'a short file in the submission format, with made-up ids and values (null for models)',
    }),
  ),
  labels: Nullable(
    Type.Array(Type.String(), { description: 'the labels a prediction may take, for classification tasks' }),
  ),
  dailySubmissions: Type.Integer(),
  selectionLimit: Type.Integer({ description: 'submissions a student may select for the private board' }),
  late: Nullable(Type.Object({ until: DateTime, policy: Type.String(), factor: Type.Number() })),
  metric: Type.Object({ name: Type.String(), options: Type.Record(Type.String(), Type.Unknown()) }),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  opensAt: Nullable(DateTime),
  deadline: Nullable(DateTime),
  revealAt: Nullable(DateTime),
  maxUploadBytes: Type.Integer(),
  version: Type.Integer(),
  baselines: Type.Array(Baseline),
  quota: Type.Optional(Quota),
});

export const TaskList = Type.Object({ tasks: Type.Array(TaskSummary) });

export const TaskSaved = Type.Object({
  created: Type.Boolean(),
  task: TaskSummary,
  rows: Type.Object({ public: Type.Integer(), private: Type.Integer() }),
});

export const LeaderboardQuery = Type.Object({
  course: Type.Optional(Type.String()),
  split: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')], { default: 'public' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'only students whose display name contains this text; ranks stay board ranks',
    }),
  ),
});

export const LeaderboardRow = Type.Object({
  rank: Type.Integer(),
  displayName: Type.String(),
  value: Type.Number(),
  submittedAt: DateTime,
  submissions: Type.Integer({ description: 'scored submissions of this student' }),
  isMe: Type.Boolean(),
});

export const Leaderboard = Type.Object({
  task: Slug,
  split: Type.Union([Type.Literal('public'), Type.Literal('private')]),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  rows: Type.Array(LeaderboardRow),
  me: Nullable(
    Type.Object({
      rank: Type.Integer(),
      value: Type.Number(),
      baselines: Type.Array(Type.String(), {
        description: 'the baselines my entry on this board passes (every threshold of each)',
      }),
    }),
  ),
  baselines: Type.Array(Type.Object({ name: Type.String(), value: Type.Number() }), {
    description:
      "each baseline's threshold on the primary metric for this board, to draw between the rows it separates",
  }),
});

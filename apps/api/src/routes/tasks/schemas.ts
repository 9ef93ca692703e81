/** Schemas of the tasks resource: tasks, boards, bundles, and the TAs' task tools. */
import Type from 'typebox';
import { CourseQuery, DateTime, Nullable, Quota, Slug, Text } from '../../schemas/common.ts';

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
  timeZone: Type.String({ description: "the course's IANA time zone: deadlines and quota days are in it" }),
  title: Type.String(),
  description: Nullable(Type.String()),
  format: Type.String({ description: "csv, text, onnx, or program (scored by the TAs' program)" }),
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
  deadlineForYou: Type.Optional(Nullable(DateTime)),
  deadlineExtended: Type.Optional(Type.Boolean({ description: 'a TA moved your deadline (deadlineForYou)' })),
  state: Type.Union([Type.Literal('visible'), Type.Literal('hidden'), Type.Literal('archived')], {
    description: 'hidden: only staff see it; archived: read-only, takes no uploads',
  }),
});

export const TaskStateChange = Type.Object({
  state: Type.Union([Type.Literal('visible'), Type.Literal('hidden'), Type.Literal('archived')]),
});

export const TaskList = Type.Object({ tasks: Type.Array(TaskSummary) });

export const TaskSaved = Type.Object({
  created: Type.Boolean(),
  task: TaskSummary,
  rows: Type.Object({ public: Type.Integer(), private: Type.Integer() }),
  programSample: Type.Optional(
    Type.Union(
      [
        Type.Object({
          outcome: Type.Literal('scored'),
          public: Type.Record(Type.String(), Type.Number()),
          private: Nullable(Type.Record(Type.String(), Type.Number())),
        }),
        Type.Object({ outcome: Type.Literal('rejected'), code: Type.String(), message: Type.String() }),
      ],
      { description: "program tasks: what the scoring program made of the bundle's sample submission" },
    ),
  ),
  evaluationSample: Type.Optional(
    Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()], {
      description:
        "images tasks: the metrics of the originals (HW10) or the real images (HW6) scored as an upload, through the TA's evaluators",
    }),
  ),
});

export const LeaderboardQuery = Type.Object({
  ...CourseQuery.properties,
  split: Type.Optional(Type.Union([Type.Literal('public'), Type.Literal('private')], { default: 'public' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
  after: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,300}$',
      description:
        "the previous page's `next`: the page after it (instead of offset), read straight off the board's index",
    }),
  ),
  q: Type.Optional(
    Text({
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
  next: Nullable(Type.String({ description: 'pass as `after` for the next page; null on the last page' })),
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

const Line = Type.Object({ name: Type.String(), value: Type.Number() });

export const TaskFailures = Type.Object({
  task: Slug,
  failures: Type.Array(
    Type.Object({
      submissionId: Type.String(),
      email: Type.String(),
      createdAt: DateTime,
      finishedAt: Nullable(DateTime),
      code: Type.String(),
      message: Type.String({ description: 'what the student was told' }),
      program: Nullable(
        Type.Record(Type.String(), Type.Unknown(), {
          description: 'PROGRAM_FAILED: reason, exitCode, signal, timedOut, wallMs, stderr (the last 16 KB)',
        }),
      ),
    }),
  ),
});

export const TaskStats = Type.Object({
  task: Type.String(),
  metric: Type.String(),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  students: Type.Integer({ description: 'students in the course' }),
  public: Type.Array(Type.Number(), { description: "each student's best public score (late work excluded)" }),
  private: Type.Array(Type.Number(), { description: "each student's private score from their final selection" }),
  baselines: Type.Object({ public: Type.Array(Line), private: Type.Array(Line) }),
  statuses: Type.Record(Type.String(), Type.Integer()),
  hourly: Type.Array(Type.Object({ hour: DateTime, submissions: Type.Integer(), rejected: Type.Integer() })),
  deadline: Nullable(DateTime),
});

export const OverrideParams = Type.Object({ slug: Slug, email: Type.String({ maxLength: 320 }) });

export const OverrideBody = Type.Object({
  extraDailySubmissions: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
  deadline: Type.Optional(Nullable(DateTime)),
  reason: Text({ minLength: 3, maxLength: 500 }),
});

export const Override = Type.Object({
  email: Type.String(),
  extraDailySubmissions: Type.Integer(),
  deadline: Nullable(DateTime),
  reason: Type.String(),
  updatedAt: DateTime,
});

export const RescoreBody = Type.Object({ reason: Text({ minLength: 3, maxLength: 500 }) });

export const RescoreStatus = Type.Object({
  runId: Type.String(),
  reason: Type.String(),
  taskVersion: Type.Integer(),
  submissions: Type.Integer(),
  done: Type.Integer(),
  pending: Type.Integer(),
  startedAt: DateTime,
});

export const IntegrityReport = Type.Object({
  groups: Type.Array(
    Type.Object({
      kind: Type.String(),
      key: Type.String(),
      students: Type.Array(Type.Object({ userId: Type.String(), email: Type.String(), submissionId: Type.String() })),
    }),
  ),
});

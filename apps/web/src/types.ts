/** Shapes of the REST API's answers that the pages read (see /docs for the full OpenAPI document). */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail: string;
  line?: number;
  column?: number;
  columnName?: string;
  expected?: string;
  found?: string;
  pointer?: string;
  [extension: string]: unknown;
}

export type Role = 'student' | 'ta' | 'admin';

export interface CourseRef {
  slug: string;
  title: string;
  role: Role;
  timeZone: string;
}
export interface Me {
  id: string;
  email: string;
  displayName: string;
  courses: CourseRef[];
}

export interface Quota {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
  /** A TA gave this student extra submissions a day. */
  extended?: boolean;
}

export interface Baseline {
  name: string;
  thresholds: Record<string, number>;
  points: number;
}

export interface Task {
  slug: string;
  course: string;
  title: string;
  description: string | null;
  format: 'csv' | 'text' | 'onnx' | 'program' | 'images';
  submissionExample: string;
  exampleFile: string | null;
  labels: string[] | null;
  metric: { name: string; options: Record<string, unknown> };
  direction: 'higher' | 'lower';
  opensAt: string | null;
  deadline: string | null;
  revealAt: string | null;
  maxUploadBytes: number;
  dailySubmissions: number;
  selectionLimit: number;
  late: { until: string; policy: string; factor: number } | null;
  baselines: Baseline[];
  quota?: Quota;
  /** This student's own deadline (a TA may have moved it) and whether one did. */
  deadlineForYou?: string | null;
  deadlineExtended?: boolean;
  state: 'visible' | 'hidden' | 'archived';
  timeZone: string;
}

export interface SplitScore {
  value: number;
  metrics: Record<string, number>;
}

export type SubmissionStatus = 'QUEUED' | 'RUNNING' | 'SCORED' | 'REJECTED' | 'FAILED';

export interface Submission {
  id: string;
  task: string;
  status: SubmissionStatus;
  originalName: string;
  message: string | null;
  bytes: number;
  createdAt: string;
  finishedAt: string | null;
  public: SplitScore | null;
  private: SplitScore | null;
  selected: boolean;
  late: boolean;
  baselines: { public: string[]; private: string[] | null };
  error: Problem | null;
}

export interface LeaderboardRow {
  rank: number;
  displayName: string;
  value: number;
  submittedAt: string;
  submissions: number;
  isMe: boolean;
}

export interface Leaderboard {
  task: string;
  split: 'public' | 'private';
  direction: 'higher' | 'lower';
  total: number;
  limit: number;
  offset: number;
  /** Cursor of the next page (`after`); null on the last. */
  next: string | null;
  rows: LeaderboardRow[];
  me: { rank: number; value: number; baselines: string[] } | null;
  baselines: Array<{ name: string; value: number }>;
}

export interface TaskStats {
  task: string;
  metric: string;
  direction: 'higher' | 'lower';
  students: number;
  public: number[];
  private: number[];
  baselines: { public: Array<{ name: string; value: number }>; private: Array<{ name: string; value: number }> };
  statuses: Record<string, number>;
  hourly: Array<{ hour: string; submissions: number; rejected: number }>;
  deadline: string | null;
}

export interface Gradebook {
  course: string;
  bestOf: number | null;
  tasks: Array<{ slug: string; title: string }>;
  students: Array<{
    email: string;
    displayName: string;
    total: number;
    tasks: Record<string, { publicPoints: number; privatePoints: number; points: number }>;
  }>;
}

export interface IntegrityGroup {
  kind: string;
  key: string;
  students: Array<{ userId: string; email: string; submissionId: string }>;
}

/** GET /v1/status: is the grader keeping up (TAs and admins). */
export interface SystemStatus {
  queues: Array<{
    queue: string;
    waiting: number;
    active: number;
    delayed: number;
    workers: number;
    oldestWaitSeconds: number;
  }>;
  keepingUp: boolean;
}

export interface RescoreStatus {
  runId: string;
  reason: string;
  taskVersion: number;
  submissions: number;
  done: number;
  pending: number;
  startedAt: string;
}

export interface Override {
  email: string;
  extraDailySubmissions: number;
  deadline: string | null;
  reason: string;
  updatedAt: string;
}

export interface Member {
  email: string;
  displayName: string;
  role: Role;
  hasPassword: boolean;
  joinedAt: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/**
 * A small client for mljudge's public REST API, used by the CLI and the launcher (neither has any
 * other way in). Errors carry the server's problem document.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { uploadFile } from './upload.ts';

export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
  }
}

/** The problem document of an error response (or one made up for a body that is not one). */
export function problemOf(status: number, body: string): Problem {
  try {
    const parsed = JSON.parse(body) as Problem;
    if (typeof parsed.code === 'string') return parsed;
  } catch {
    // not JSON
  }
  return { status, code: `HTTP_${status}`, detail: body.slice(0, 500) || `HTTP ${status}` };
}

export interface Me {
  id: string;
  email: string;
  displayName: string;
  courses: Array<{ slug: string; role: string; timeZone: string }>;
}
export interface Quota {
  limit: number;
  used: number;
  remaining: number;
  resetsAt: string;
  /** A TA gave extra submissions a day. */
  extended?: boolean;
}
export interface Task {
  slug: string;
  course: string;
  /** The course's IANA time zone. */
  timeZone: string;
  title: string;
  format: string;
  submissionExample: string;
  metric: { name: string; options: Record<string, unknown> };
  direction: 'higher' | 'lower';
  deadline: string | null;
  baselines: Array<{ name: string; thresholds: Record<string, number>; points: number }>;
  quota?: Quota;
  /** Your own deadline (a TA may have moved it), and whether one did. */
  deadlineForYou?: string | null;
  deadlineExtended?: boolean;
  state?: 'visible' | 'hidden' | 'archived';
}
export interface Score {
  value: number;
  metrics: Record<string, number>;
}
export interface Submission {
  id: string;
  task: string;
  status: 'QUEUED' | 'RUNNING' | 'SCORED' | 'REJECTED' | 'FAILED';
  statusUrl: string;
  originalName: string;
  createdAt: string;
  public: Score | null;
  private: Score | null;
  selected: boolean;
  late: boolean;
  baselines: { public: string[]; private: string[] | null };
  error: Problem | null;
}
export interface SubmitResult {
  submission: Submission;
  quota: Quota;
}
export interface Leaderboard {
  task: string;
  split: 'public' | 'private';
  direction: 'higher' | 'lower';
  total: number;
  rows: Array<{
    rank: number;
    displayName: string;
    value: number;
    submittedAt: string;
    submissions: number;
    isMe: boolean;
  }>;
  me: { rank: number; value: number; baselines: string[] } | null;
  baselines: Array<{ name: string; value: number }>;
}

const courseQuery = (course?: string) => (course ? `?course=${encodeURIComponent(course)}` : '');
const memberPath = (course: string, email: string) =>
  `/v1/courses/${encodeURIComponent(course)}/members/${encodeURIComponent(email)}`;

export interface CourseSummary {
  slug: string;
  title: string;
  timeZone: string;
  gradeBestOf: number | null;
  role: 'student' | 'ta' | 'admin' | null;
}

export interface Member {
  email: string;
  displayName: string;
  role: 'student' | 'ta' | 'admin';
  hasPassword: boolean;
  joinedAt: string;
}

export interface RosterResult {
  created: number;
  added: number;
  updated: number;
  members: Array<{
    email: string;
    displayName: string;
    role: string;
    change: string;
    initialPassword: string | null;
    note: string | null;
  }>;
}

export interface Override {
  email: string;
  extraDailySubmissions: number;
  deadline: string | null;
  reason: string;
  updatedAt: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long to wait before retrying a 503: its Retry-After (seconds), with jitter, else a backoff. */
function retryAfterMs(header: string | string[] | undefined, attempt: number): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  const base = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 500 * 2 ** attempt;
  return base * (1 + Math.random() * 0.5);
}

export class MljudgeClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  private async request<T>(method: string, pathname: string, body?: FormData | object): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(new URL(pathname, this.baseUrl), {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(problemOf(response.status, text));
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async json<T>(method: string, pathname: string, body?: object): Promise<T> {
    return this.request<T>(method, pathname, body);
  }

  me() {
    return this.json<Me>('GET', '/v1/me');
  }

  tasks() {
    return this.json<{ tasks: Task[] }>('GET', '/v1/tasks');
  }

  task(slug: string, course?: string) {
    return this.json<Task>(
      'GET',
      `/v1/tasks/${encodeURIComponent(slug)}${course ? `?course=${encodeURIComponent(course)}` : ''}`,
    );
  }

  submission(id: string) {
    return this.json<Submission>('GET', `/v1/submissions/${encodeURIComponent(id)}`);
  }

  submissions(slug: string) {
    return this.json<{ submissions: Submission[] }>('GET', `/v1/tasks/${encodeURIComponent(slug)}/submissions`);
  }

  leaderboard(slug: string, split: 'public' | 'private', limit = 50) {
    return this.json<Leaderboard>(
      'GET',
      `/v1/tasks/${encodeURIComponent(slug)}/leaderboard?split=${split}&limit=${limit}`,
    );
  }

  select(id: string, selected: boolean) {
    return this.json<{ id: string; selected: boolean; selectedCount: number; limit: number }>(
      'PUT',
      `/v1/submissions/${encodeURIComponent(id)}/selection`,
      { selected },
    );
  }

  rescore(slug: string, reason: string) {
    return this.json<{ runId: string; submissions: number }>('POST', `/v1/tasks/${encodeURIComponent(slug)}/rescore`, {
      reason,
    });
  }

  // The TA's daily work and the site admin's: courses, members, overrides, task state.

  courses() {
    return this.json<{ courses: CourseSummary[] }>('GET', '/v1/courses');
  }

  createCourse(course: { slug: string; title: string; timeZone: string; gradeBestOf?: number | null }) {
    return this.json<CourseSummary>('POST', '/v1/courses', course);
  }

  members(course: string) {
    return this.json<{ members: Member[] }>('GET', `/v1/courses/${encodeURIComponent(course)}/members`);
  }

  /** Imports a roster CSV (email,name[,role][,password]). */
  async importRoster(course: string, csv: string): Promise<RosterResult> {
    const response = await fetch(new URL(`/v1/courses/${encodeURIComponent(course)}/members`, this.baseUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(problemOf(response.status, text));
    return JSON.parse(text) as RosterResult;
  }

  removeMember(course: string, email: string) {
    return this.json<void>('DELETE', memberPath(course, email));
  }

  setRole(course: string, email: string, role: 'student' | 'ta' | 'admin') {
    return this.json<void>('PUT', `${memberPath(course, email)}/role`, { role });
  }

  resetPassword(course: string, email: string) {
    return this.json<{ email: string; password: string }>('POST', `${memberPath(course, email)}/password-reset`);
  }

  override(
    slug: string,
    email: string,
    change: { extraDailySubmissions?: number; deadline?: string | null; reason: string },
    course?: string,
  ) {
    return this.json<Override>(
      'PUT',
      `/v1/tasks/${encodeURIComponent(slug)}/overrides/${encodeURIComponent(email)}${courseQuery(course)}`,
      change,
    );
  }

  setTaskState(slug: string, state: 'visible' | 'hidden' | 'archived', course?: string) {
    return this.json<Task>('PUT', `/v1/tasks/${encodeURIComponent(slug)}/state${courseQuery(course)}`, { state });
  }

  async text(pathname: string): Promise<string> {
    const response = await fetch(new URL(pathname, this.baseUrl), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    const body = await response.text();
    if (!response.ok) throw new ApiError(problemOf(response.status, body));
    return body;
  }

  /** Streams a submission's file to `target`. */
  async download(id: string, target: string): Promise<void> {
    await this.downloadPath(`/v1/submissions/${encodeURIComponent(id)}/file`, target);
  }

  /** Streams what a GET on `pathname` answers to the file `target` (which must not exist yet). */
  async downloadPath(pathname: string, target: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const response = await fetch(new URL(pathname, this.baseUrl), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    if (!response.ok || !response.body) throw new ApiError(problemOf(response.status, await response.text()));
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream),
      createWriteStream(target, { flags: options.overwrite ? 'w' : 'wx' }),
    );
  }

  /**
   * Uploads a prediction file. Retries a dropped connection, and a busy server's 503 after the
   * Retry-After it asks for, with the same Idempotency-Key, so a retry can never create a second
   * submission or spend quota twice.
   */
  async submit(
    slug: string,
    file: string,
    options: {
      message?: string;
      waitSeconds?: number;
      idempotencyKey?: string;
      onProgress?: (sent: number, total: number) => void;
      retries?: number;
    } = {},
  ): Promise<{ status: number; result: SubmitResult }> {
    const key = options.idempotencyKey ?? randomUUID();
    const query = options.waitSeconds ? `?wait=${options.waitSeconds}` : '';
    const attempts = (options.retries ?? 3) + 1;
    // A deadline rush can keep a server busy for a while; waiting is what it asks for.
    const busyAttempts = Math.max(attempts, 10);
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await uploadFile({
          url: new URL(`/v1/tasks/${encodeURIComponent(slug)}/submissions${query}`, this.baseUrl),
          headers: { authorization: `Bearer ${this.token}`, 'idempotency-key': key },
          file,
          ...(options.message ? { fields: { message: options.message } } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        });
        if (response.status === 503 && attempt < busyAttempts) {
          await pause(retryAfterMs(response.headers['retry-after'], attempt));
          continue;
        }
        if (response.status >= 400) throw new ApiError(problemOf(response.status, response.body));
        return { status: response.status, result: JSON.parse(response.body) as SubmitResult };
      } catch (error) {
        const transient = !(error instanceof ApiError) && (error as NodeJS.ErrnoException).code !== 'ENOENT';
        if (!transient || attempt >= attempts) throw error;
        await pause(250 * 2 ** attempt);
      }
    }
  }

  /** Creates or replaces a task from a bundle directory holding task.yaml and solution.csv. */
  async pushTaskBundle(
    course: string,
    directory: string,
  ): Promise<{ created: boolean; task: { slug: string; version: number }; rows: { public: number; private: number } }> {
    const form = new FormData();
    for (const name of ['task.yaml', 'solution.csv', 'inputs.npy']) {
      const content = await readFile(path.join(directory, name)).catch(() => null);
      if (content) form.append(name.split('.')[0]!, new Blob([content]), name);
    }
    // Public files: everything in the bundle's data/ folder (the server checks it against task.yaml);
    // a program task's files: everything in its program/ folder; an images task's models and hidden
    // images: everything in its evaluation/ folder.
    for (const folder of ['data', 'program', 'evaluation']) {
      const entries = await readdir(path.join(directory, folder), { withFileTypes: true }).catch(() => []);
      for (const entry of entries.filter((e) => e.isFile()).sort((a, b) => a.name.localeCompare(b.name)))
        form.append(folder, new Blob([await readFile(path.join(directory, folder, entry.name))]), entry.name);
    }
    return this.request('POST', `/v1/courses/${encodeURIComponent(course)}/tasks`, form);
  }

  /** The public files of a task (its data tab). */
  dataFiles(slug: string, course?: string) {
    return this.json<{ files: Array<{ name: string; bytes: number; url: string }> }>(
      'GET',
      `/v1/tasks/${encodeURIComponent(slug)}/data${courseQuery(course)}`,
    );
  }
}

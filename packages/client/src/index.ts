/**
 * A small client for mljudge's public REST API, used by the CLI and the launcher (neither has any
 * other way in). Errors carry the server's problem document.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

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
    const response = await fetch(new URL(pathname, this.baseUrl), { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    const text = await response.text();
    if (!response.ok) {
      let problem: Problem;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = { status: response.status, code: `HTTP_${response.status}`, detail: text.slice(0, 500) || response.statusText };
      }
      throw new ApiError(problem);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Creates or replaces a task from a bundle directory holding task.yaml and solution.csv. */
  async pushTaskBundle(course: string, directory: string): Promise<{ created: boolean; task: { slug: string; version: number }; rows: { public: number; private: number } }> {
    const form = new FormData();
    for (const name of ['task.yaml', 'solution.csv']) form.append(name.split('.')[0]!, new Blob([await readFile(path.join(directory, name))]), name);
    return this.request('POST', `/v1/courses/${encodeURIComponent(course)}/tasks`, form);
  }
}

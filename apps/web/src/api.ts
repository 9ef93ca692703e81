/**
 * The page's only way to the server: the public REST API on the same origin, authenticated by the
 * session cookie. Requests that change something carry X-Requested-With, which the server demands of
 * cookie-authenticated writes (a cross-site form cannot send it). Errors are the server's problem
 * documents, so a page can show the line and column of a rejected file exactly as a script sees them.
 */
import type { Problem, Quota, Submission } from './types.ts';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly problem: Problem,
    /** The Retry-After header of a busy answer, when there was one. */
    readonly retryAfter: string | null = null,
  ) {
    super(problem.detail);
  }
}

/** The problem document behind any error a request can throw (a bug in the page becomes CLIENT). */
export function problemOf(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { status: 0, code: 'CLIENT', detail: String(error) };
}

const listeners = new Set<() => void>();

/** Called when the server says the session is gone (the app shows the sign-in page). */
export function onSignedOut(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function problemFrom(status: number, text: string): Problem {
  try {
    const parsed = JSON.parse(text) as Problem;
    if (typeof parsed.code === 'string') return parsed;
  } catch {
    // not JSON: a proxy's error page, say
  }
  return { status, code: `HTTP_${status}`, detail: text.slice(0, 300) || `The server answered ${status}.` };
}

function checkSignedOut(problem: Problem) {
  if (problem.status === 401 && problem.code !== 'LOGIN_FAILED') for (const listener of listeners) listener();
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-requested-with'] = 'mljudge-web';
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'NETWORK',
      detail: 'The server could not be reached. Check your connection and try again.',
    });
  }
  const text = await response.text();
  if (!response.ok) {
    const problem = problemFrom(response.status, text);
    checkSignedOut(problem);
    throw new ApiError(problem);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

type UploadResult = { submission: Submission; quota: Quota };

/** Busy answers are retried this many times; the server says how long to wait in Retry-After. */
const BUSY_RETRIES = 8;

function retryDelayMs(retryAfter: string | null, attempt: number): number {
  const seconds = Number(retryAfter);
  const base = Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 1000 * 2 ** attempt;
  // Jitter spreads a class that was told "2 seconds" at the same moment over the next second.
  return base * (1 + Math.random() * 0.5);
}

/**
 * Uploads a submission with XMLHttpRequest, the one browser API that reports upload progress.
 * A busy server's 503 is retried after its Retry-After with the same Idempotency-Key, so a retry
 * can never create a second submission or spend quota twice. Resolves with the queued submission
 * and the quota left; rejects with the problem document.
 */
export async function uploadSubmission(
  path: string,
  file: File,
  message: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  // One key per upload, not per attempt: the retries and a double click are the same submission.
  const key = crypto.randomUUID();
  for (let attempt = 0; ; attempt++) {
    try {
      return await uploadOnce(path, key, file, message, onProgress, signal);
    } catch (error) {
      if (!(error instanceof ApiError) || error.problem.status !== 503 || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(error.retryAfter, attempt)));
      if (signal?.aborted)
        throw new ApiError({ status: 0, code: 'ABORTED', detail: 'Upload cancelled. Nothing was counted.' });
    }
  }
}

function uploadOnce(
  path: string,
  key: string,
  file: File,
  message: string,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('x-requested-with', 'mljudge-web');
    request.setRequestHeader('accept', 'application/json');
    request.setRequestHeader('idempotency-key', key);
    request.upload.onprogress = (event) =>
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    request.onload = () => {
      if (request.status >= 200 && request.status < 300)
        return resolve(JSON.parse(request.responseText) as UploadResult);
      const problem = problemFrom(request.status, request.responseText);
      checkSignedOut(problem);
      reject(new ApiError(problem, request.getResponseHeader('retry-after')));
    };
    request.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'NETWORK',
          detail: 'The upload was interrupted. Nothing was counted; try again.',
        }),
      );
    request.onabort = () =>
      reject(new ApiError({ status: 0, code: 'ABORTED', detail: 'Upload cancelled. Nothing was counted.' }));
    signal?.addEventListener('abort', () => request.abort());
    const form = new FormData();
    if (message.trim()) form.append('message', message.trim());
    form.append('file', file, file.name);
    request.send(form);
  });
}

/** `/v1/...?course=` for a task path: slugs are unique per course only. */
export function taskPath(
  course: string,
  slug: string,
  suffix = '',
  query: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams({ course });
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== '') params.set(key, String(value));
  return `/v1/tasks/${encodeURIComponent(slug)}${suffix}?${params}`;
}

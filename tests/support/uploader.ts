/**
 * Students uploading over real HTTP the way the CLI does: each upload has its own Idempotency-Key and
 * is retried with it after a 503 (waiting the Retry-After it names, capped) or a dropped connection,
 * until it is accepted or refused for good. Every answer is recorded, so a test can check that none
 * was a 500 and that each accepted key became exactly one submission.
 */
import { randomUUID } from 'node:crypto';
import { multipart } from './multipart.ts';

export interface UploadRecord {
  readonly key: string;
  readonly student: string;
  /** Every answer in order: an HTTP status, or "network" for a refused or dropped connection. */
  readonly answers: Array<number | 'network'>;
  /** The submission id of the accepting answer (202, or 200 for a retry the server recognised). */
  submissionId?: string;
  /** Milliseconds from the first attempt to the accepting answer. */
  acceptedAfterMs?: number;
  readonly startedAt: number;
}

export interface UploaderOptions {
  readonly baseUrl: string;
  readonly task: string;
  readonly course: string;
  /** Student tokens; uploads go round-robin. */
  readonly tokens: readonly string[];
  /** The file of the n-th upload. */
  readonly content: (n: number) => string;
  /** Longest single wait between retries. */
  readonly maxRetryWaitMs?: number;
  /** Gives up on an upload after this many attempts (an unreachable server for minutes is a bug). */
  readonly maxAttempts?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(options: UploaderOptions, token: string, key: string, content: string) {
  const body = multipart([{ field: 'file', filename: 'pred.csv', content, contentType: 'text/csv' }]);
  const response = await fetch(
    `${options.baseUrl}/v1/tasks/${options.task}/submissions?course=${encodeURIComponent(options.course)}`,
    {
      method: 'POST',
      body: new Uint8Array(body.payload),
      headers: { ...body.headers, authorization: `Bearer ${token}`, 'idempotency-key': key },
      signal: AbortSignal.timeout(60_000),
    },
  );
  return { status: response.status, retryAfter: response.headers.get('retry-after'), text: await response.text() };
}

/** One upload, retried until accepted or refused for good. */
export async function uploadWithRetries(options: UploaderOptions, n: number): Promise<UploadRecord> {
  const tokenIndex = n % options.tokens.length;
  const record: UploadRecord = { key: randomUUID(), student: String(tokenIndex), answers: [], startedAt: Date.now() };
  const content = options.content(n);
  const maxWait = options.maxRetryWaitMs ?? 1000;
  for (let tries = 1; tries <= (options.maxAttempts ?? 200); tries++) {
    let answer;
    try {
      answer = await attempt(options, options.tokens[tokenIndex]!, record.key, content);
    } catch {
      record.answers.push('network');
      await pause(Math.min(maxWait, 100 * tries));
      continue;
    }
    record.answers.push(answer.status);
    if (answer.status === 202 || answer.status === 200) {
      record.submissionId = (JSON.parse(answer.text) as { submission: { id: string } }).submission.id;
      record.acceptedAfterMs = Date.now() - record.startedAt;
      return record;
    }
    if (answer.status !== 503) return record;
    await pause(Math.min(maxWait, Number(answer.retryAfter ?? 1) * 1000));
  }
  return record;
}

/**
 * Runs `total` uploads, `concurrency` at a time; `onAccepted(count)` sees the running count of
 * accepted uploads (a test starts its fault from there).
 */
export async function uploadMany(
  options: UploaderOptions,
  total: number,
  concurrency: number,
  onAccepted: (count: number) => void = () => undefined,
): Promise<UploadRecord[]> {
  const records: UploadRecord[] = [];
  let next = 0;
  let accepted = 0;
  async function lane() {
    while (next < total) {
      const record = await uploadWithRetries(options, next++);
      records.push(record);
      if (record.submissionId) onAccepted(++accepted);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return records;
}

/**
 * POST /v1/tasks/:slug/submissions: the deadline rush's one hot path. Everything that can refuse an
 * upload is decided before its body is read (who, which task, the window, the quota, capacity); the
 * file then streams to storage with its size limit, and one round trip inserts it within the quota.
 * The answer is built from what was inserted. Any failure after the file was stored deletes it.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createSubmissionWithinQuota, findSubmission, poolStats, submissionContext } from '@mljudge/db';
import { submissionWindow, quotaDay } from '@mljudge/grading';
import { scoringQueueFor } from '@mljudge/queue';
import { windowRulesOf } from '@mljudge/scoring';
import { storageKeys, UploadTooLargeError } from '@mljudge/storage';
import { submissionView } from '@mljudge/views';
import type { MultipartFile } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { resolveTask } from '../../access.ts';
import { principalOf } from '../../plugins/auth.ts';
import { AppError, unavailable } from '../../problems/app-error.ts';
import { quotaBody, quotaHeaders, quotaState, type QuotaState } from '../../quota.ts';
import { errorResponses, isPlainText, TaskParams } from '../../schemas/common.ts';
import type { Services } from '../../services.ts';
import { readerContext } from '../../visibility.ts';
import { waitUntilFinished } from './wait.ts';
import { SubmissionCreated, SubmitHeaders, SubmitQuery } from './schemas.ts';

const MESSAGE_LIMIT = 500;

function quotaExceeded(quota: QuotaState, now: Date): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `You have used all ${quota.limit} submissions for today; the quota resets at ${quota.resetsAt.toISOString()}.`,
    quotaBody(quota),
    {
      ...quotaHeaders(quota),
      'retry-after': String(Math.max(1, Math.ceil((quota.resetsAt.getTime() - now.getTime()) / 1000))),
    },
  );
}

function keyReused(submissionId: string): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    `This Idempotency-Key already belongs to submission ${submissionId} with a different file; use a new key for a new upload.`,
    { submissionId },
  );
}

/** sha256 of a stream, read to its end (or to `maxBytes`, past which it cannot match a stored file). */
async function sha256Of(stream: Readable, maxBytes: number): Promise<string | null> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= maxBytes) hash.update(chunk);
  }
  return bytes <= maxBytes ? hash.digest('hex') : null;
}

/** The first file part of the form; a malformed body is the client's (400), never a 500. */
async function filePart(request: FastifyRequest, maxBytes: number): Promise<MultipartFile> {
  let part: MultipartFile | undefined;
  try {
    part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
  } catch (error) {
    if (error instanceof AppError || (error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw new AppError('MULTIPART_INVALID', `The multipart body is malformed: ${(error as Error).message}.`);
  }
  if (!part || part.fieldname !== 'file') {
    throw new AppError('FILE_MISSING', 'The form has no field named "file" (send any "message" field before it).');
  }
  // Past the limit the multipart reader only truncates and keeps reading the body to the part's end
  // (for an endless part, the whole request); fail the file at once, so the answer (413, closing the
  // connection) comes at the limit.
  part.file.once('limit', () => part.file.destroy(new UploadTooLargeError(maxBytes)));
  return part;
}

/** The optional `message` field sent before the file. */
function messageOf(part: MultipartFile): string | undefined {
  const field = part.fields.message as { value?: unknown } | undefined;
  const value = typeof field?.value === 'string' ? field.value : undefined;
  if (value === undefined) return undefined;
  if (value.length > MESSAGE_LIMIT)
    throw new AppError('MESSAGE_TOO_LONG', `The message may be at most ${MESSAGE_LIMIT} characters.`);
  if (!isPlainText(value))
    throw new AppError('TEXT_FIELD_INVALID', 'The message contains a NUL byte or another control character.');
  return value;
}

/** The file's name as the student's tools gave it, kept for display (storage keys are uuids). */
function displayNameOf(part: MultipartFile): string {
  const name = (part.filename || 'upload').split(/[\\/]/).pop()!.slice(0, 255);
  if (!isPlainText(name))
    throw new AppError('TEXT_FIELD_INVALID', 'The file name contains a NUL byte or another control character.');
  return name || 'upload';
}

/** Uploads this process is reading now; past the limit a new one is refused before it is read. */
class UploadGate {
  private inFlight = 0;

  constructor(private readonly services: Services) {}

  enter(): void {
    const { maxConcurrentUploads, maxPoolWaiting } = this.services.config.api;
    const waiting = poolStats(this.services.db).waiting;
    if (this.inFlight >= maxConcurrentUploads || waiting > maxPoolWaiting) {
      throw unavailable(
        'SERVICE_BUSY',
        'The grader is taking in many uploads right now; nothing was stored. Retry in a moment.',
        2,
      );
    }
    this.inFlight++;
  }

  leave(): void {
    this.inFlight--;
  }
}

export default async function uploadRoute(app: FastifyInstance) {
  const { services } = app;
  const gate = new UploadGate(services);
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  typed.post(
    '/v1/tasks/:slug/submissions',
    {
      schema: {
        summary: 'Upload a prediction file, an archive or a model',
        description:
          'multipart/form-data with the file in field `file` (and an optional `message` field before it). Answers 202 once the file is stored and queued; with `?wait=N`, waits up to N seconds and answers 200 with the final result if scoring ends in time. A retry with the same `Idempotency-Key` and the same file returns the first submission; a different file under a used key is refused (422 IDEMPOTENCY_KEY_REUSED). A saturated server answers 503 with Retry-After before storing anything: retry with the same key.',
        tags: ['submissions'],
        params: TaskParams,
        querystring: SubmitQuery,
        headers: SubmitHeaders,
        response: { 200: SubmissionCreated, 202: SubmissionCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      let outcome = 'error';
      try {
        gate.enter();
      } catch (error) {
        services.metrics?.uploads.inc({ outcome: 'busy' });
        throw error;
      }
      try {
        const answer = await accept(request.params.slug);
        outcome = answer.outcome;
        return await reply.status(answer.status).headers(quotaHeaders(answer.quota)).send(answer.body);
      } catch (error) {
        outcome = error instanceof AppError ? error.code.toLowerCase() : 'error';
        throw error;
      } finally {
        gate.leave();
        services.metrics?.uploads.inc({ outcome });
        services.metrics?.uploadSeconds.observe({ outcome }, (performance.now() - started) / 1000);
      }

      async function accept(slug: string) {
        const principal = principalOf(request);
        const now = services.now();
        const access = await resolveTask(services, principal, slug, request.query.course);
        const { task, rules, staff } = access;
        if (!request.isMultipart()) {
          throw new AppError('MULTIPART_REQUIRED', 'Upload the file as multipart/form-data in a field named "file".');
        }
        const maxBytes = Math.min(rules.maxUploadBytes, services.config.api.maxUploadBytes);
        const day = quotaDay(now, task.course.timeZone);
        const idempotencyKey = request.headers['idempotency-key'];
        const context = await submissionContext(services.db, task.id, principal.userId, day.start, idempotencyKey);
        const quota = quotaState(
          day,
          rules.dailySubmissions,
          context.override?.extraDailySubmissions ?? 0,
          context.used,
        );
        const view = await readerContext(services, access, principal.userId, context.override?.deadline ?? null);
        if (context.earlierSubmissionId !== null) {
          const first = await findSubmission(services.db, context.earlierSubmissionId);
          if (first) {
            // A retry carries the same file; a different one under the same key is a client bug.
            const part = await filePart(request, maxBytes);
            if ((await sha256Of(part.file, maxBytes)) !== first.artifactSha256) throw keyReused(first.id);
            return {
              status: 200 as const,
              quota,
              outcome: 'duplicate',
              body: { submission: submissionView(first, view), quota: quotaBody(quota) },
            };
          }
        }

        const window = submissionWindow(now, windowRulesOf(rules), context.override?.deadline);
        if (task.archivedAt && !staff) {
          throw new AppError('TASK_ARCHIVED', 'The TAs archived this task; it takes no more uploads.');
        }
        if (window.state === 'not-open' && !staff) {
          throw new AppError('TASK_NOT_OPEN', `Submissions open at ${window.opensAt.toISOString()}.`);
        }
        if (window.state === 'closed' && !staff) {
          throw new AppError(
            'DEADLINE_PASSED',
            `The deadline was ${window.deadline.toISOString()}; this task takes no more submissions.`,
          );
        }
        if (quota.remaining === 0) throw quotaExceeded(quota, now);
        if (context.rejectedBytes >= services.config.api.rejectedBytesPerDay) {
          throw new AppError(
            'REJECTED_BYTES_EXCEEDED',
            `Your rejected uploads today add up to ${context.rejectedBytes} bytes, the daily limit; check the file with "mljudge score" before uploading again.`,
            {},
            { 'retry-after': String(Math.max(1, Math.ceil((day.resetsAt.getTime() - now.getTime()) / 1000))) },
          );
        }
        if (!services.queues.isConnected()) {
          throw unavailable(
            'SERVICE_UNAVAILABLE',
            'Scoring is temporarily unavailable; nothing was stored. Retry in a few seconds.',
            5,
          );
        }

        const part = await filePart(request, maxBytes);
        const message = messageOf(part);
        const originalName = displayNameOf(part);
        const id = randomUUID();
        const key = storageKeys.submission(task.id, id);
        let stored;
        try {
          stored = await services.storage.writeStream(key, part.file, maxBytes);
        } catch (error) {
          if (error instanceof UploadTooLargeError) {
            throw new AppError(
              'UPLOAD_TOO_LARGE',
              `The file is larger than this task's limit of ${maxBytes} bytes; nothing was stored and no quota was used.`,
              { limitBytes: maxBytes },
            );
          }
          throw error;
        }
        let created;
        try {
          created = await createSubmissionWithinQuota(
            services.db,
            {
              id,
              taskId: task.id,
              userId: principal.userId,
              artifactKey: key,
              artifactSha256: stored.sha256,
              artifactBytes: stored.bytes,
              originalName,
              message,
              idempotencyKey,
              taskVersion: task.version,
              late: window.state === 'late',
              createdAt: now,
            },
            { dayStart: day.start, limit: quota.limit },
          );
        } catch (error) {
          await services.storage.delete(key);
          throw error;
        }
        if (created.kind !== 'created') await services.storage.delete(key);
        if (created.kind === 'duplicate') {
          if (created.artifactSha256 !== stored.sha256) throw keyReused(created.submissionId);
          const first = (await findSubmission(services.db, created.submissionId))!;
          return {
            status: 200 as const,
            quota,
            outcome: 'duplicate',
            body: { submission: submissionView(first, view), quota: quotaBody(quota) },
          };
        }
        if (created.kind === 'quota-exceeded')
          throw quotaExceeded(
            quotaState(day, rules.dailySubmissions, context.override?.extraDailySubmissions ?? 0, created.used),
            now,
          );
        const after = quotaState(
          day,
          rules.dailySubmissions,
          context.override?.extraDailySubmissions ?? 0,
          created.used,
        );
        try {
          await services.queues.enqueue('score-submission', { submissionId: id }, scoringQueueFor(task));
        } catch (error) {
          // The row is durable and QUEUED: the workers' sweep enqueues it. The student still gets a 202.
          request.log.warn({ err: error, submissionId: id }, 'enqueue failed; left for the recovery sweep');
        }
        if (request.query.wait) {
          const finished = await waitUntilFinished(
            services,
            id,
            Math.min(request.query.wait, services.config.api.maxWaitSeconds),
          );
          if (finished) {
            // A rejected or failed upload gives its quota back.
            const used =
              finished.status === 'REJECTED' || finished.status === 'FAILED' ? created.used - 1 : created.used;
            const final = quotaState(day, rules.dailySubmissions, context.override?.extraDailySubmissions ?? 0, used);
            return {
              status: 200 as const,
              quota: final,
              outcome: 'accepted',
              body: { submission: submissionView(finished, view), quota: quotaBody(final) },
            };
          }
        }
        return {
          status: 202 as const,
          quota: after,
          outcome: 'accepted',
          body: { submission: submissionView(created.submission, view), quota: quotaBody(after) },
        };
      }
    },
  );
}

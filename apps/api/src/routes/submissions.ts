/**
 * Submissions: upload (stream to storage, insert within quota, enqueue), read one, list mine.
 * The handler never parses the upload: validation is the worker's, so the event loop stays free.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  createSubmissionWithinQuota,
  findByIdempotencyKey,
  findOverride,
  findSubmission,
  listSubmissions,
  type Submission,
} from '@mljudge/db';
import { submissionWindow } from '@mljudge/grading';
import { rulesOf } from '../task-rules.ts';
import { scoringQueueFor } from '@mljudge/queue';
import { storageKeys, UploadTooLargeError } from '@mljudge/storage';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { isStaff, principalOf } from '../plugins/auth.ts';
import { AppError } from '../problem.ts';
import { CourseQuery, errorResponses } from '../schemas/common.ts';
import {
  SubmissionCreated,
  SubmissionList,
  SubmissionParams,
  SubmissionView,
  SubmitHeaders,
  SubmitQuery,
  TaskParams,
} from '../schemas/submissions.ts';
import type { Services } from '../services.ts';
import { readableSubmission, resolveTask } from '../task-access.ts';
import { quotaBody, quotaHeaders, quotaState } from '../quota.ts';
import { privateScoresVisible, submissionView, viewContext } from '../views.ts';

const FINISHED = new Set(['SCORED', 'REJECTED', 'FAILED']);
/** How often a wait re-reads Postgres: often without events, rarely as a safety net with them. */
const POLL_WITHOUT_EVENTS_MS = 200;
const POLL_WITH_EVENTS_MS = 2000;

/** Waits until the submission is finished or `seconds` pass, woken by the workers' events. */
async function waitUntilFinished(services: Services, id: string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const row = await services.db.submission.findUnique({ where: { id }, select: { status: true } });
    const left = until - Date.now();
    if (!row || FINISHED.has(row.status) || left <= 0) return;
    const pause = Math.min(left, services.events ? POLL_WITH_EVENTS_MS : POLL_WITHOUT_EVENTS_MS);
    if (services.events) await services.events.waitFor(id, pause);
    else await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

function messageField(fields: Record<string, unknown> | undefined): string | undefined {
  const field = fields?.message as { value?: unknown } | undefined;
  const value = typeof field?.value === 'string' ? field.value : undefined;
  if (value !== undefined && value.length > 500)
    throw new AppError(400, 'MESSAGE_TOO_LONG', 'The message may be at most 500 characters.');
  return value;
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

function keyReused(existing: Submission): AppError {
  return new AppError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    `This Idempotency-Key already belongs to submission ${existing.id} with a different file; use a new key for a new upload.`,
    { submissionId: existing.id },
  );
}

export default async function submissionRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.post(
    '/v1/tasks/:slug/submissions',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Upload a prediction file',
        description:
          'multipart/form-data with the file in field `file` (and an optional `message` field before it). Answers 202 once the file is stored and queued; with `?wait=N`, waits up to N seconds and answers 200 with the final result if scoring ends in time. A retry with the same `Idempotency-Key` and the same file returns the first submission; a different file under a used key is refused (422 IDEMPOTENCY_KEY_REUSED).',
        tags: ['submissions'],
        params: TaskParams,
        querystring: SubmitQuery,
        headers: SubmitHeaders,
        response: { 200: SubmissionCreated, 202: SubmissionCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const now = services.now();
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const staff = isStaff(principal, task.courseId);
      const context = viewContext(task.slug, rulesOf(task), privateScoresVisible(staff, task.revealAt, now));
      const idempotencyKey = request.headers['idempotency-key'];

      const respond = async (submission: Submission, status: 200 | 202, used?: number) => {
        const quota = await quotaState(services, principal.userId, task, task.course.timeZone, used);
        const fresh = (await findSubmission(services.db, submission.id))!;
        return reply
          .status(status)
          .headers(quotaHeaders(quota))
          .send({ submission: submissionView(fresh, context), quota: quotaBody(quota) });
      };

      const maxBytes = Math.min(task.maxUploadBytes, services.config.api.maxUploadBytes);
      if (idempotencyKey !== undefined) {
        const existing = await findByIdempotencyKey(services.db, principal.userId, task.id, idempotencyKey);
        if (existing) {
          // A retry carries the same file; a different one under the same key is a client bug, not a retry.
          const part = request.isMultipart() ? await request.file({ limits: { files: 1 } }) : undefined;
          if (part && part.fieldname === 'file' && (await sha256Of(part.file, maxBytes)) !== existing.artifactSha256)
            throw keyReused(existing);
          return respond(existing, 200);
        }
      }
      const rules = rulesOf(task);
      const override = await findOverride(services.db, task.id, principal.userId);
      const window = submissionWindow(
        now,
        {
          opensAt: rules.opensAt,
          deadline: rules.deadline,
          lateUntil: rules.late?.until,
          latePolicy: rules.late?.policy ?? 'refuse',
        },
        override?.deadline,
      );
      if (window.state === 'not-open' && !staff)
        throw new AppError(403, 'TASK_NOT_OPEN', `Submissions open at ${window.opensAt.toISOString()}.`);
      if (window.state === 'closed' && !staff)
        throw new AppError(
          403,
          'DEADLINE_PASSED',
          `The deadline was ${window.deadline.toISOString()}; this task takes no more submissions.`,
        );
      const late = window.state === 'late';
      const before = await quotaState(services, principal.userId, task, task.course.timeZone);
      if (before.remaining === 0) {
        throw new AppError(
          429,
          'QUOTA_EXCEEDED',
          `You have used all ${before.limit} submissions for today; the quota resets at ${before.resetsAt.toISOString()}.`,
          quotaBody(before),
          {
            ...quotaHeaders(before),
            'retry-after': String(Math.max(1, Math.ceil((before.resetsAt.getTime() - now.getTime()) / 1000))),
          },
        );
      }
      if (!(await services.queues.isAvailable())) {
        throw new AppError(
          503,
          'QUEUE_UNAVAILABLE',
          'Scoring is temporarily unavailable; nothing was stored. Retry in a few seconds.',
          {},
          { 'retry-after': '5' },
        );
      }
      if (!request.isMultipart())
        throw new AppError(
          415,
          'MULTIPART_REQUIRED',
          'Upload the file as multipart/form-data in a field named "file".',
        );

      const part = await request.file({ limits: { fileSize: maxBytes, files: 1 } });
      if (!part || part.fieldname !== 'file')
        throw new AppError(400, 'FILE_MISSING', 'The form has no field named "file".');
      const message = messageField(part.fields);
      const id = randomUUID();
      const key = storageKeys.submission(task.id, id);
      let stored;
      try {
        stored = await services.storage.writeStream(key, part.file, maxBytes);
      } catch (error) {
        if (error instanceof UploadTooLargeError)
          throw new AppError(
            413,
            'UPLOAD_TOO_LARGE',
            `The file is larger than this task's limit of ${maxBytes} bytes; nothing was stored and no quota was used.`,
            { limitBytes: maxBytes },
          );
        throw error;
      }

      const outcome = await createSubmissionWithinQuota(
        services.db,
        {
          id,
          taskId: task.id,
          userId: principal.userId,
          artifactKey: key,
          artifactSha256: stored.sha256,
          artifactBytes: stored.bytes,
          originalName: (part.filename || 'upload').slice(0, 255),
          message,
          idempotencyKey,
          taskVersion: task.version,
          late,
          createdAt: now,
        },
        { dayStart: before.dayStart, limit: before.limit },
      );
      if (outcome.kind !== 'created') await services.storage.delete(key);
      if (outcome.kind === 'duplicate') {
        if (outcome.submission.artifactSha256 !== stored.sha256) throw keyReused(outcome.submission);
        return respond(outcome.submission, 200);
      }
      if (outcome.kind === 'quota-exceeded') {
        const state = await quotaState(services, principal.userId, task, task.course.timeZone, outcome.used);
        throw new AppError(
          429,
          'QUOTA_EXCEEDED',
          `You have used all ${state.limit} submissions for today; the quota resets at ${state.resetsAt.toISOString()}.`,
          quotaBody(state),
          quotaHeaders(state),
        );
      }
      try {
        await services.queues.enqueueScoring({ submissionId: id }, scoringQueueFor(task.format));
      } catch (error) {
        // The row is durable; the workers' recovery sweep enqueues it. The student still gets a 202.
        request.log.warn({ err: error, submissionId: id }, 'enqueue failed; left for the recovery sweep');
      }
      if (request.query.wait) {
        await waitUntilFinished(services, id, Math.min(request.query.wait, services.config.api.maxWaitSeconds));
        const current = (await findSubmission(services.db, id))!;
        if (FINISHED.has(current.status)) return respond(current, 200);
      }
      return respond(outcome.submission, 202, outcome.used);
    },
  );

  typed.get(
    '/v1/submissions/:id',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'A submission: status, public score, error detail',
        tags: ['submissions'],
        params: SubmissionParams,
        response: { 200: SubmissionView, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { submission, staff } = await readableSubmission(services, principal, request.params.id);
      const task = await services.db.task.findUniqueOrThrow({ where: { id: submission.taskId } });
      return submissionView(
        submission,
        viewContext(task.slug, rulesOf(task), privateScoresVisible(staff, task.revealAt, services.now())),
      );
    },
  );

  typed.get(
    '/v1/tasks/:slug/submissions',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'My submissions on a task, newest first',
        tags: ['submissions'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: SubmissionList, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const context = viewContext(
        task.slug,
        rulesOf(task),
        privateScoresVisible(isStaff(principal, task.courseId), task.revealAt, services.now()),
      );
      const rows = await listSubmissions(services.db, task.id, principal.userId);
      return { submissions: rows.map((row) => submissionView(row, context)) };
    },
  );
}

/**
 * Server-Sent Events: a submission's status until it finishes, and a task's leaderboard changes.
 * Events are hints carried by Redis pub/sub; each message sent is read fresh from Postgres, and
 * leaderboard events only say "changed" so a student never receives anything they could not read.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSubmission } from '@mljudge/db';
import { isFinalStatus, type SubmissionStatusEvent } from '@mljudge/queue';
import { isStaff, principalOf } from '../plugins/auth.ts';
import { AppError } from '../problem.ts';
import { readableSubmission, resolveTask } from '../task-access.ts';
import { rulesOf } from '../task-rules.ts';
import { privateScoresVisible, submissionView, viewContext } from '../views.ts';

const HEARTBEAT_MS = 15_000;
const LEADERBOARD_THROTTLE_MS = 1000;

interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  readonly closed: Promise<void>;
}

/** Runs tasks one after another, so events pushed from fresh reads reach the client in order. */
function serial(): (task: () => Promise<void>) => void {
  let tail = Promise.resolve();
  return (task) => {
    tail = tail.then(task).catch(() => undefined);
  };
}

function openStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let finish!: () => void;
  let ended = false;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const cleanup = () => {
    ended = true;
    clearInterval(heartbeat);
    finish();
  };
  request.raw.on('close', cleanup);
  return {
    send: (event, data) => {
      if (!ended) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: () => {
      if (ended) return;
      cleanup();
      raw.end();
    },
    closed,
  };
}

function requireEvents(app: FastifyInstance) {
  const events = app.services.events;
  if (!events)
    throw new AppError(
      503,
      'QUEUE_UNAVAILABLE',
      'Live updates are not available on this server; poll the resource instead.',
      {},
      { 'retry-after': '5' },
    );
  return events;
}

export default async function liveRoutes(app: FastifyInstance) {
  const { services } = app;

  app.get<{ Params: { id: string } }>(
    '/v1/submissions/:id/events',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Server-Sent Events: "status" with the submission until it is finished',
        tags: ['submissions'],
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = requireEvents(app);
      const { submission: first, staff } = await readableSubmission(services, principal, request.params.id);
      const task = await services.db.task.findUniqueOrThrow({ where: { id: first.taskId } });
      const context = viewContext(task.slug, rulesOf(task), privateScoresVisible(staff, task.revealAt, services.now()));
      const stream = openStream(request, reply);
      const run = serial();
      const push = async () => {
        const current = await findSubmission(services.db, first.id);
        if (!current) return stream.close();
        stream.send('status', submissionView(current, context));
        if (isFinalStatus(current.status as SubmissionStatusEvent['status'])) stream.close();
      };
      // Listen before reading, so a submission that finishes in between is not missed.
      const stop = events.listen((event: SubmissionStatusEvent) => {
        if (event.submissionId === first.id) run(push);
      });
      void stream.closed.then(stop);
      run(push);
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { course?: string } }>(
    '/v1/tasks/:slug/submissions/events',
    {
      preHandler: app.authenticate,
      schema: {
        summary:
          'Server-Sent Events: "submission" with one of my submissions on the task whenever it starts scoring or finishes',
        description:
          'One stream for a page that lists several submissions (browsers allow few connections per server). Sends "ready" once listening.',
        tags: ['submissions'],
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = requireEvents(app);
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const context = viewContext(
        task.slug,
        rulesOf(task),
        privateScoresVisible(isStaff(principal, task.courseId), task.revealAt, services.now()),
      );
      const stream = openStream(request, reply);
      const run = serial();
      const stop = events.listen((event) => {
        if (event.taskId !== task.id || event.userId !== principal.userId) return;
        run(async () => {
          const current = await findSubmission(services.db, event.submissionId);
          if (current && current.userId === principal.userId)
            stream.send('submission', submissionView(current, context));
        });
      });
      void stream.closed.then(stop);
      stream.send('ready', { task: task.slug });
    },
  );

  app.get<{ Params: { slug: string }; Querystring: { course?: string } }>(
    '/v1/tasks/:slug/leaderboard/events',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Server-Sent Events: "leaderboard" whenever a new score may have changed the board (refetch it)',
        tags: ['tasks'],
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = requireEvents(app);
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const stream = openStream(request, reply);
      let last = 0;
      let pending: NodeJS.Timeout | undefined;
      const notify = () => {
        pending = undefined;
        last = Date.now();
        stream.send('leaderboard', { task: task.slug });
      };
      const stop = events.listen((event) => {
        if (event.taskId !== task.id || event.status !== 'SCORED' || pending) return;
        const wait = Math.max(0, last + LEADERBOARD_THROTTLE_MS - Date.now());
        pending = setTimeout(notify, wait);
      });
      void stream.closed.then(() => {
        stop();
        if (pending) clearTimeout(pending);
      });
      stream.send('leaderboard', { task: task.slug });
    },
  );
}

/**
 * The live resource, Server-Sent Events: a submission's status until it finishes, all of my
 * submissions on a task, and a task's leaderboard changes. Events are hints carried by Redis pub/sub;
 * each message sent is read fresh from Postgres and built by the same view as the REST answer, and
 * leaderboard events only say "changed", so a stream never shows more than a request would.
 */
import { findSubmission } from '@mljudge/db';
import { isFinalStatus } from '@mljudge/queue';
import { definitionOf } from '@mljudge/scoring';
import { submissionView } from '@mljudge/views';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { readableSubmission, resolveTask } from '../../access.ts';
import { principalOf, type Principal } from '../../plugins/auth.ts';
import { AppError, unavailable } from '../../problems/app-error.ts';
import { CourseQuery, errorResponses, IdParams, TaskParams } from '../../schemas/common.ts';
import { readerContext } from '../../visibility.ts';
import { openStream, serial, StreamCounter } from './event-stream.ts';

const LEADERBOARD_THROTTLE_MS = 1000;
const EventStreamResponse = { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses };

export default async function liveRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const streams = new StreamCounter(services.config.api.maxStreamsPerUser);

  /** The event hub, and room for one more stream of this user. */
  const admit = (principal: Principal) => {
    const events = services.events;
    if (!events)
      throw unavailable(
        'SERVICE_UNAVAILABLE',
        'Live updates are not available on this server; poll the resource instead.',
        5,
      );
    if (streams.full(principal.userId)) {
      throw new AppError(
        'STREAMS_LIMIT',
        `You have ${services.config.api.maxStreamsPerUser} live streams open already; close one first.`,
      );
    }
    return events;
  };
  const open = (request: FastifyRequest, reply: Parameters<typeof openStream>[1], principal: Principal) => {
    const stream = openStream(request, reply);
    streams.admit(principal.userId, stream.closed);
    return stream;
  };

  typed.get(
    '/v1/submissions/:id/events',
    {
      schema: {
        summary: 'Server-Sent Events: "status" with the submission until it is finished',
        tags: ['live'],
        params: IdParams,
        produces: ['text/event-stream'],
        response: EventStreamResponse,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = admit(principal);
      const { submission: first, staff } = await readableSubmission(services, principal, request.params.id);
      const context = await readerContext(
        services,
        { task: first.task, rules: definitionOf(first.task), staff },
        first.userId,
      );
      const stream = open(request, reply, principal);
      const run = serial();
      const push = async () => {
        const current = await findSubmission(services.db, first.id);
        if (!current) return stream.close();
        stream.send('status', submissionView(current, context));
        if (isFinalStatus(current.status)) stream.close();
      };
      // Listen before reading, so a submission that finishes in between is not missed.
      const stop = events.listen((event) => {
        if (event.submissionId === first.id) run(push);
      });
      void stream.closed.then(stop);
      run(push);
    },
  );

  typed.get(
    '/v1/tasks/:slug/submissions/events',
    {
      schema: {
        summary:
          'Server-Sent Events: "submission" with one of my submissions on the task whenever it starts scoring or finishes',
        description:
          'One stream for a page that lists several submissions (browsers allow few connections per server). Sends "ready" once listening.',
        tags: ['live'],
        params: TaskParams,
        querystring: CourseQuery,
        produces: ['text/event-stream'],
        response: EventStreamResponse,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = admit(principal);
      const access = await resolveTask(services, principal, request.params.slug, request.query.course);
      const context = await readerContext(services, access, principal.userId);
      const stream = open(request, reply, principal);
      const run = serial();
      const stop = events.listen((event) => {
        if (event.taskId !== access.task.id || event.userId !== principal.userId) return;
        run(async () => {
          const current = await findSubmission(services.db, event.submissionId);
          if (current && current.userId === principal.userId)
            stream.send('submission', submissionView(current, context));
        });
      });
      void stream.closed.then(stop);
      stream.send('ready', { task: access.task.slug });
    },
  );

  typed.get(
    '/v1/tasks/:slug/leaderboard/events',
    {
      schema: {
        summary: 'Server-Sent Events: "leaderboard" whenever a new score may have changed the board (refetch it)',
        tags: ['live'],
        params: TaskParams,
        querystring: CourseQuery,
        produces: ['text/event-stream'],
        response: EventStreamResponse,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const events = admit(principal);
      const { task } = await resolveTask(services, principal, request.params.slug, request.query.course);
      const stream = open(request, reply, principal);
      let last = 0;
      let pending: NodeJS.Timeout | undefined;
      const notify = () => {
        pending = undefined;
        last = Date.now();
        stream.send('leaderboard', { task: task.slug });
      };
      const stop = events.listen((event) => {
        if (event.taskId !== task.id || event.status !== 'SCORED' || pending) return;
        pending = setTimeout(notify, Math.max(0, last + LEADERBOARD_THROTTLE_MS - Date.now()));
      });
      void stream.closed.then(() => {
        stop();
        if (pending) clearTimeout(pending);
      });
      stream.send('leaderboard', { task: task.slug });
    },
  );
}

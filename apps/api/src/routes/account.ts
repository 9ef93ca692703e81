/** The signed-in user, their webhooks, and downloads of their own submitted files. */
import { createReadStream } from 'node:fs';
import { createWebhook, WEBHOOK_EVENTS, type WebhookEvent } from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { isStaff, principalOf } from '../plugins/auth.ts';
import { forbidden, notFound } from '../problem.ts';
import { readableSubmission } from '../task-access.ts';
import { DateTime, Nullable, errorResponses } from '../schemas/common.ts';
import { SubmissionParams } from '../schemas/submissions.ts';
import { Me, meView } from '../schemas/account.ts';

const WebhookView = Type.Object({
  id: Type.String(),
  course: Type.String(),
  scope: Type.Union([Type.Literal('course'), Type.Literal('own')]),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: DateTime,
  disabledAt: Nullable(DateTime),
});

const Delivery = Type.Object({
  id: Type.String(),
  submissionId: Type.String(),
  event: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
  deliveredAt: Nullable(DateTime),
});

function webhookView(
  webhook: {
    id: string;
    scope: 'COURSE' | 'OWN';
    url: string;
    events: string[];
    createdAt: Date;
    disabledAt: Date | null;
  },
  course: string,
) {
  return {
    id: webhook.id,
    course,
    scope: webhook.scope === 'COURSE' ? ('course' as const) : ('own' as const),
    url: webhook.url,
    events: webhook.events,
    createdAt: webhook.createdAt.toISOString(),
    disabledAt: webhook.disabledAt?.toISOString() ?? null,
  };
}

export default async function accountRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/me',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Who is signed in (token or session), with their courses and roles',
        tags: ['account'],
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => meView(principalOf(request)),
  );

  typed.get(
    '/v1/submissions/:id/file',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Download the file of one of your submissions',
        tags: ['submissions'],
        params: SubmissionParams,
        produces: ['application/octet-stream'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { submission } = await readableSubmission(services, principal, request.params.id);
      const filename = submission.originalName.replace(/[^\w.-]+/g, '_');
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('content-length', String(submission.artifactBytes))
        .send(createReadStream(services.storage.pathOf(submission.artifactKey)));
    },
  );

  typed.post(
    '/v1/courses/:course/webhooks',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Register a webhook for finished submissions',
        description:
          'scope "own" (anyone): your own submissions; scope "course" (TAs): every submission of the course. Each POST is signed: Mljudge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>. The secret is shown only in this response.',
        tags: ['webhooks'],
        params: Type.Object({ course: Type.String() }),
        body: Type.Object({
          url: Type.String({ format: 'uri', pattern: '^https?://' }),
          scope: Type.Optional(Type.Union([Type.Literal('own'), Type.Literal('course')], { default: 'own' })),
          events: Type.Optional(
            Type.Array(Type.Union(WEBHOOK_EVENTS.map((event) => Type.Literal(event))), {
              minItems: 1,
              uniqueItems: true,
            }),
          ),
        }),
        response: { 201: Type.Intersect([WebhookView, Type.Object({ secret: Type.String() })]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = principal.memberships.find((m) => m.courseSlug === request.params.course);
      if (!membership) throw notFound(`Course "${request.params.course}"`);
      const scope = request.body.scope ?? 'own';
      if (scope === 'course' && !isStaff(principal, membership.courseId))
        throw forbidden('Only TAs can receive events of the whole course.');
      const { webhook, secret } = await createWebhook(services.db, {
        ownerId: principal.userId,
        courseId: membership.courseId,
        scope: scope === 'course' ? 'COURSE' : 'OWN',
        url: request.body.url,
        events: (request.body.events as WebhookEvent[] | undefined) ?? [...WEBHOOK_EVENTS],
      });
      return reply.status(201).send({ ...webhookView(webhook, membership.courseSlug), secret });
    },
  );

  typed.get(
    '/v1/webhooks',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Your webhooks',
        tags: ['webhooks'],
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const webhooks = await services.db.webhook.findMany({
        where: { ownerId: principal.userId },
        orderBy: { createdAt: 'asc' },
      });
      const slugOf = new Map(principal.memberships.map((m) => [m.courseId, m.courseSlug]));
      return { webhooks: webhooks.map((webhook) => webhookView(webhook, slugOf.get(webhook.courseId) ?? '')) };
    },
  );

  typed.get(
    '/v1/webhooks/:id/deliveries',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Delivery log of one of your webhooks, newest first',
        tags: ['webhooks'],
        params: Type.Object({ id: Type.String() }),
        response: { 200: Type.Object({ deliveries: Type.Array(Delivery) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const webhook = await services.db.webhook.findUnique({ where: { id: request.params.id } }).catch(() => null);
      if (!webhook || webhook.ownerId !== principal.userId) throw notFound('Webhook');
      const deliveries = await services.db.webhookDelivery.findMany({
        where: { webhookId: webhook.id },
        orderBy: { createdAt: 'desc' },
        take: 200,
      });
      return {
        deliveries: deliveries.map((d) => ({
          id: d.id,
          submissionId: d.submissionId,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          createdAt: d.createdAt.toISOString(),
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
        })),
      };
    },
  );

  typed.delete(
    '/v1/webhooks/:id',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Disable one of your webhooks',
        tags: ['webhooks'],
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { count } = await services.db.webhook
        .updateMany({
          where: { id: request.params.id, ownerId: principal.userId, disabledAt: null },
          data: { disabledAt: services.now() },
        })
        .catch(() => ({ count: 0 }));
      if (count === 0) throw notFound('Webhook');
      return reply.status(204).send(null);
    },
  );
}

/** Schemas of the courses resource: gradebooks and course webhooks. */
import { WEBHOOK_EVENTS } from '@mljudge/db';
import Type from 'typebox';
import { DateTime, Nullable } from '../../schemas/common.ts';

export const Gradebook = Type.Object({
  course: Type.String(),
  bestOf: Nullable(Type.Integer()),
  tasks: Type.Array(Type.Object({ slug: Type.String(), title: Type.String() })),
  students: Type.Array(
    Type.Object({
      email: Type.String(),
      displayName: Type.String(),
      tasks: Type.Record(
        Type.String(),
        Type.Object({ publicPoints: Type.Number(), privatePoints: Type.Number(), points: Type.Number() }),
      ),
      total: Type.Number(),
    }),
  ),
});

export const WebhookView = Type.Object({
  id: Type.String(),
  course: Type.String(),
  scope: Type.Union([Type.Literal('course'), Type.Literal('own')]),
  url: Type.String(),
  events: Type.Array(Type.String()),
  createdAt: DateTime,
  disabledAt: Nullable(DateTime),
});

export const WebhookBody = Type.Object({
  url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
  scope: Type.Optional(Type.Union([Type.Literal('own'), Type.Literal('course')], { default: 'own' })),
  events: Type.Optional(
    Type.Array(Type.Union(WEBHOOK_EVENTS.map((event) => Type.Literal(event))), { minItems: 1, uniqueItems: true }),
  ),
});

export const WebhookCreated = Type.Intersect([WebhookView, Type.Object({ secret: Type.String() })]);

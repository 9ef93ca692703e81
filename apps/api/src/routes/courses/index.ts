/** The courses resource: courses themselves, their gradebook and their webhooks. */
import type { FastifyInstance } from 'fastify';
import courseAdministrationRoutes from './administration.ts';
import gradebookAndWebhookRoutes from './gradebook-and-webhooks.ts';

export default async function courseRoutes(app: FastifyInstance) {
  await app.register(courseAdministrationRoutes);
  await app.register(gradebookAndWebhookRoutes);
}

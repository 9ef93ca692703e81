/** The submissions resource: upload, read, download, final selection. */
import type { FastifyInstance } from 'fastify';
import readRoutes from './read.ts';
import selectionRoutes from './selection.ts';
import uploadRoute from './upload.ts';

export default async function submissionRoutes(app: FastifyInstance) {
  await app.register(uploadRoute);
  await app.register(readRoutes);
  await app.register(selectionRoutes);
}

/** Reading submissions: one (its owner or staff), mine on a task, and the file I uploaded. */
import { listSubmissions } from '@mljudge/db';
import { definitionOf } from '@mljudge/scoring';
import { submissionView } from '@mljudge/views';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { readableSubmission, resolveTask } from '../../access.ts';
import { principalOf } from '../../plugins/auth.ts';
import { AppError } from '../../problems/app-error.ts';
import { CourseQuery, errorResponses, IdParams, TaskParams } from '../../schemas/common.ts';
import { readerContext } from '../../visibility.ts';
import { SubmissionList, SubmissionView } from './schemas.ts';

export default async function readRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/submissions/:id',
    {
      schema: {
        summary: 'A submission: status, public score, error detail',
        tags: ['submissions'],
        params: IdParams,
        response: { 200: SubmissionView, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { submission, staff } = await readableSubmission(services, principal, request.params.id);
      const reader = { task: submission.task, rules: definitionOf(submission.task), staff };
      return submissionView(submission, await readerContext(services, reader, submission.userId));
    },
  );

  typed.get(
    '/v1/tasks/:slug/submissions',
    {
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
      const access = await resolveTask(services, principal, request.params.slug, request.query.course);
      const context = await readerContext(services, access, principal.userId);
      const rows = await listSubmissions(services.db, access.task.id, principal.userId);
      return { submissions: rows.map((row) => submissionView(row, context)) };
    },
  );

  typed.get(
    '/v1/submissions/:id/file',
    {
      schema: {
        summary: 'Download the file of one of your submissions',
        tags: ['submissions'],
        params: IdParams,
        produces: ['application/octet-stream'],
        response: { 200: { type: 'string', format: 'binary', description: 'the file as uploaded' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { submission } = await readableSubmission(services, principal, request.params.id);
      if (submission.artifactPurgedAt) {
        throw new AppError(
          'ARTIFACT_PURGED',
          `The file of this rejected submission was deleted on ${submission.artifactPurgedAt.toISOString()}.`,
        );
      }
      const filename = submission.originalName.replace(/[^\w.-]+/g, '_');
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('content-length', String(submission.artifactBytes))
        .send(services.storage.readStream(submission.artifactKey));
    },
  );
}

/**
 * The data tab: the public files of a task's bundle (task.yaml `data`, and the sample submission the
 * server generates), for anyone who may see the task. The hidden files are in the same folder's
 * parent and can never be named here: names are matched against the listing, not joined to paths.
 */
import { storageKeys } from '@mljudge/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { resolveTask } from '../../access.ts';
import { DATA_FILE_NAME, DATA_FOLDER } from '../../bundles/protocol.ts';
import { principalOf } from '../../plugins/auth.ts';
import { notFound } from '../../problems/app-error.ts';
import { CourseQuery, errorResponses, Slug } from '../../schemas/common.ts';
import type { Services } from '../../services.ts';

const DataFile = Type.Object({
  name: Type.String(),
  bytes: Type.Integer(),
  url: Type.String({ description: 'GET it with your token or session' }),
});

async function publicFiles(services: Services, bundleKey: string) {
  const folder = storageKeys.taskFile(bundleKey, DATA_FOLDER);
  const files: Array<{ name: string; key: string }> = [];
  for await (const file of services.storage.files(folder)) {
    const name = file.key.slice(folder.length + 1);
    if (DATA_FILE_NAME.test(name)) files.push({ name, key: file.key });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

export default async function taskDataRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/tasks/:slug/data',
    {
      schema: {
        summary: "The task's public files: test inputs, a sample submission",
        tags: ['tasks'],
        params: Type.Object({ slug: Slug }),
        querystring: CourseQuery,
        response: { 200: Type.Object({ files: Type.Array(DataFile) }), ...errorResponses },
      },
    },
    async (request) => {
      const { task } = await resolveTask(services, principalOf(request), request.params.slug, request.query.course);
      const files = await publicFiles(services, task.bundleKey);
      const course = `?course=${encodeURIComponent(task.course.slug)}`;
      return {
        files: await Promise.all(
          files.map(async (file) => ({
            name: file.name,
            bytes: (await services.storage.size(file.key)) ?? 0,
            url: `/v1/tasks/${task.slug}/data/${encodeURIComponent(file.name)}${course}`,
          })),
        ),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/data/:name',
    {
      schema: {
        summary: 'Download one public file of the task',
        tags: ['tasks'],
        params: Type.Object({ slug: Slug, name: Type.String({ maxLength: 100 }) }),
        querystring: CourseQuery,
        produces: ['application/octet-stream'],
        response: { 200: { type: 'string', format: 'binary' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { task } = await resolveTask(services, principalOf(request), request.params.slug, request.query.course);
      const file = (await publicFiles(services, task.bundleKey)).find((f) => f.name === request.params.name);
      if (!file) throw notFound(`Public file "${request.params.name}"`);
      const bytes = await services.storage.size(file.key);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('content-length', String(bytes ?? 0))
        .send(services.storage.readStream(file.key));
    },
  );
}

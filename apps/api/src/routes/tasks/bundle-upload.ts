/**
 * POST /v1/courses/:course/tasks: a TA creates or replaces a task from its bundle. Every part, the
 * archive included, streams to a staging folder on storage (never into the API's memory); a thread
 * unpacks the archive and checks the bundle; the files move into the task's folder only once accepted,
 * and the staging folder is removed either way, before the answer.
 */
import { createHash, randomUUID } from 'node:crypto';
import { saveTask, type TaskRecordInput } from '@mljudge/db';
import { taskDefinitionFromConfig, type TaskDefinition } from '@mljudge/scoring';
import { storageKeys, UploadTooLargeError } from '@mljudge/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { staffCourse } from '../../access.ts';
import { checkBundle } from '../../bundles/check-bundle.ts';
import { BUNDLE_FILES, DATA_FILE_NAME, DATA_FOLDER, FILE_FOLDERS } from '../../bundles/protocol.ts';
import { principalOf } from '../../plugins/auth.ts';
import { AppError } from '../../problems/app-error.ts';
import { CourseParams, errorResponses } from '../../schemas/common.ts';
import type { Services } from '../../services.ts';
import { TaskSaved } from './schemas.ts';
import { announceTaskLive } from './task-live.ts';
import { taskSummary } from './task-view.ts';

const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
const ARCHIVE_NAME = 'upload.tar.gz';
const ARCHIVE_LIMITS = { maxInflatedBytes: MAX_BUNDLE_BYTES, maxEntries: 64 };
/** task.yaml, solution.csv, inputs.npy or an archive, and up to 20 public files. */
const MAX_PARTS = 24;

interface StagedParts {
  readonly files: string[];
  readonly archive: string | null;
}

/** Streams the bundle's parts to the staging folder: bundle files by name, one .tar.gz, nothing else. */
async function stageParts(services: Services, request: FastifyRequest, stagingKey: string): Promise<StagedParts> {
  if (!request.isMultipart()) {
    throw new AppError(
      'MULTIPART_REQUIRED',
      'Upload task.yaml and solution.csv (or one .tar.gz holding both) as multipart/form-data.',
    );
  }
  const files: string[] = [];
  let archive: string | null = null;
  try {
    for await (const part of request.files({ limits: { fileSize: MAX_BUNDLE_BYTES, files: MAX_PARTS } })) {
      // As for submissions: fail a part at its size limit instead of reading on to its end.
      part.file.once('limit', () => part.file.destroy(new UploadTooLargeError(MAX_BUNDLE_BYTES)));
      const name = (part.filename || part.fieldname).split(/[\\/]/).pop()!;
      const folder = FILE_FOLDERS.find((candidate) => candidate === part.fieldname);
      if (folder) {
        const code = folder === DATA_FOLDER ? 'BUNDLE_DATA_MISMATCH' : 'BUNDLE_INCOMPLETE';
        if (!DATA_FILE_NAME.test(name))
          throw new AppError(
            code,
            `A ${folder === DATA_FOLDER ? 'public' : folder} file may be called with letters, digits, dots, dashes and underscores only; got "${name}".`,
          );
        const key = `${folder}/${name}`;
        if (files.includes(key)) throw new AppError(code, `The upload holds ${key} twice.`);
        await services.storage.writeStream(`${stagingKey}/${key}`, part.file, MAX_BUNDLE_BYTES);
        files.push(key);
      } else if (/\.(tar\.gz|tgz)$/i.test(name)) {
        if (archive) throw new AppError('BUNDLE_ARCHIVE_INVALID', 'Send one archive per bundle.');
        archive = `${stagingKey}/${ARCHIVE_NAME}`;
        await services.storage.writeStream(archive, part.file, MAX_BUNDLE_BYTES);
      } else if ((BUNDLE_FILES as readonly string[]).includes(name)) {
        await services.storage.writeStream(`${stagingKey}/${name}`, part.file, MAX_BUNDLE_BYTES);
        files.push(name);
      } else {
        part.file.resume(); // not a bundle file: drain it
      }
    }
  } catch (error) {
    if (error instanceof UploadTooLargeError)
      throw new AppError('UPLOAD_TOO_LARGE', `A bundle file is larger than ${MAX_BUNDLE_BYTES} bytes.`);
    if (error instanceof AppError || (error as { statusCode?: number }).statusCode !== undefined) throw error;
    throw new AppError('MULTIPART_INVALID', `The multipart body is malformed: ${(error as Error).message}.`);
  }
  return { files, archive };
}

/**
 * sha256 over task.yaml, NUL, solution.csv, NUL, inputs.npy (empty when absent), then each public
 * or program file as NUL, its name, NUL, its bytes in name order, read back from the staged files: an unchanged
 * bundle keeps its task version, and a changed public file makes a new one.
 */
async function bundleDigest(services: Services, stagingKey: string, files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  const feed = async (name: string) => {
    for await (const chunk of services.storage.readStream(`${stagingKey}/${name}`)) hash.update(chunk as Buffer);
  };
  for (const [index, name] of BUNDLE_FILES.entries()) {
    if (index > 0) hash.update('\0');
    if (files.includes(name)) await feed(name);
  }
  const named = files.filter((file) => FILE_FOLDERS.some((folder) => file.startsWith(`${folder}/`)));
  for (const name of named.sort()) {
    hash.update(`\0${name}\0`);
    await feed(name);
  }
  return hash.digest('hex');
}

/** The task row's columns, all taken from the validated definition. */
function taskRecordOf(
  courseId: string,
  definition: TaskDefinition,
  document: unknown,
  bundleSha256: string,
): TaskRecordInput {
  return {
    courseId,
    slug: definition.slug,
    title: definition.title,
    description: definition.description,
    format: definition.format,
    metric: { name: definition.metric.name, options: { ...definition.metric.rawOptions } } as TaskRecordInput['metric'],
    direction: definition.direction === 'higher' ? 'HIGHER' : 'LOWER',
    config: JSON.parse(JSON.stringify(document)) as TaskRecordInput['config'],
    bundleSha256,
    dailyQuota: definition.dailySubmissions,
    maxUploadBytes: definition.maxUploadBytes,
    opensAt: definition.opensAt,
    deadline: definition.deadline,
    revealAt: definition.revealAt,
  };
}

export default async function bundleUploadRoute(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.post(
    '/v1/courses/:course/tasks',
    {
      schema: {
        summary: 'Create or replace a task from its bundle (TAs)',
        description:
          'multipart/form-data with task.yaml and solution.csv (and inputs.npy for onnx tasks), and the public files task.yaml lists under `data` as parts named `data`; a program task sends its scoring program and its files as parts named `program` instead of solution.csv; an images task sends its evaluator models and hidden images as parts named `evaluation` instead; or one .tar.gz holding them (public files in a folder data/, program files in program/, evaluation files in evaluation/). The evaluators of an images task are checked like student models and run on its originals or real images (whose FID statistics are computed here, once) before the bundle is accepted. A program is run on its sample submission in the sandbox before the bundle is accepted. A sample submission (every test id, one constant prediction) is added to the public files unless the bundle has its own. Every part streams to a staging area, never into memory; an archive is unpacked off the event loop, with limits on its inflated size and entry count. The bundle is validated (schema, metric, solution rows, the metric defined on each split) before anything is stored. Re-uploading changed hidden data bumps the task version.',
        tags: ['tasks'],
        params: CourseParams,
        response: { 200: TaskSaved, 201: TaskSaved, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const stagingKey = storageKeys.staging(randomUUID());
      let saved: Static<typeof TaskSaved>;
      try {
        const staged = await stageParts(services, request, stagingKey);
        const checked = await checkBundle({
          directory: services.storage.pathOf(stagingKey),
          files: staged.files,
          archive: staged.archive ? services.storage.pathOf(staged.archive) : null,
          limits: ARCHIVE_LIMITS,
          programReadOnly: services.config.sandbox.readOnly,
        });
        const definition = taskDefinitionFromConfig(checked.document);
        const bundleSha256 = await bundleDigest(services, stagingKey, checked.files);
        const taskId = randomUUID();
        const { task, created } = await saveTask(
          services.db,
          taskRecordOf(membership.courseId, definition, checked.document, bundleSha256),
          (id, version) => storageKeys.taskBundle(id, version),
          taskId,
          // Files first, row second: a worker that sees the new version always finds its files.
          async (bundleKey) => {
            for (const name of checked.files) {
              await services.storage.move(`${stagingKey}/${name}`, storageKeys.taskFile(bundleKey, name));
            }
          },
        );
        // New or not, the task may have gone live: a new version, or a deadline that makes it current.
        announceTaskLive(services, task.id, request.log);
        saved = {
          created,
          task: taskSummary(task, definition, { slug: membership.courseSlug, timeZone: membership.timeZone }),
          rows: { public: checked.publicRows, private: checked.privateRows },
          ...(checked.programSample ? { programSample: checked.programSample } : {}),
          ...(checked.evaluationSample !== undefined ? { evaluationSample: checked.evaluationSample } : {}),
        };
      } finally {
        await services.storage.delete(stagingKey);
      }
      // Answer only after the staging area is gone, so a client never sees it linger.
      return reply.status(saved.created ? 201 : 200).send(saved);
    },
  );
}

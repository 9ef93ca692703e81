/** Tasks: list, read, leaderboard, and the TA's bundle upload. Hidden files are never served. */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { leaderboardPage, listTasks, privateBoard, rankOf, saveTask, type TaskRecordInput } from '@mljudge/db';
import { baselinesPassed, roundScore } from '@mljudge/grading';
import { baselinesOf, directionsOf, rulesOf } from '../task-rules.ts';
import { BundleError } from '@mljudge/formats';
import { INPUTS_FILE, SOLUTION_FILE, TASK_FILE } from '@mljudge/scoring';
import { checkBundle, type BundlePaths, type CheckedBundle } from '../bundle-check/check-bundle.ts';
import { ArchiveError, readTarGz, storageKeys, UploadTooLargeError } from '@mljudge/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type, { type Static } from 'typebox';
import { parse as parseYaml } from 'yaml';
import { isStaff, principalOf } from '../plugins/auth.ts';
import { AppError, forbidden, rejectionExtensions } from '../problem.ts';
import { CourseQuery, errorResponses } from '../schemas/common.ts';
import { TaskParams } from '../schemas/submissions.ts';
import { Leaderboard, LeaderboardQuery, TaskList, TaskSaved, TaskSummary } from '../schemas/tasks.ts';
import { resolveTask, staffCourse } from '../task-access.ts';
import { quotaBody, quotaState } from '../quota.ts';
import type { Services } from '../services.ts';
import { privateScoresVisible, taskSummary } from '../views.ts';

const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

const BUNDLE_FILES = [TASK_FILE, SOLUTION_FILE, INPUTS_FILE] as const;

/** An uploaded bundle's files, staged on storage while they are checked. */
interface StagedBundle {
  /** Staged key of each bundle file that arrived, by file name. */
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * Streams the bundle's multipart parts to a staging folder: the two (or three) files, or one
 * .tar.gz/.tgz holding them. Files stream to disk with a size limit, so a 500 MB inputs.npy never sits
 * in the API's memory; only an archive is read whole, to be unpacked safely.
 */
async function stageBundle(services: Services, request: FastifyRequest, stagingKey: string): Promise<StagedBundle> {
  if (!request.isMultipart())
    throw new AppError(
      415,
      'MULTIPART_REQUIRED',
      'Upload task.yaml and solution.csv (or one .tar.gz holding both) as multipart/form-data.',
    );
  const keys = new Map<string, string>();
  const stage = (name: string) => {
    const key = `${stagingKey}/${name}`;
    keys.set(name, key);
    return key;
  };
  try {
    for await (const part of request.files({ limits: { fileSize: MAX_BUNDLE_BYTES, files: 4 } })) {
      const name = (part.filename || part.fieldname).split(/[\\/]/).pop()!;
      if (/\.(tar\.gz|tgz)$/i.test(name)) {
        const archive = await part.toBuffer();
        if (part.file.truncated) throw new UploadTooLargeError(MAX_BUNDLE_BYTES);
        try {
          for (const [entry, content] of readTarGz(archive, { maxInflatedBytes: MAX_BUNDLE_BYTES, maxEntries: 64 })) {
            const file = entry.split('/').pop()!;
            if ((BUNDLE_FILES as readonly string[]).includes(file))
              await services.storage.writeBuffer(stage(file), content);
          }
        } catch (error) {
          if (error instanceof ArchiveError) throw new AppError(422, 'BUNDLE_ARCHIVE_INVALID', error.message);
          throw error;
        }
      } else if ((BUNDLE_FILES as readonly string[]).includes(name)) {
        await services.storage.writeStream(stage(name), part.file, MAX_BUNDLE_BYTES);
      } else {
        part.file.resume(); // not a bundle file: drain it
      }
    }
  } catch (error) {
    if (error instanceof UploadTooLargeError)
      throw new AppError(413, 'UPLOAD_TOO_LARGE', `A bundle file is larger than ${MAX_BUNDLE_BYTES} bytes.`);
    throw error;
  }
  if (!keys.has(TASK_FILE) || !keys.has(SOLUTION_FILE)) {
    throw new AppError(
      422,
      'BUNDLE_INCOMPLETE',
      `A bundle needs ${TASK_FILE} and ${SOLUTION_FILE} (and ${INPUTS_FILE} for onnx tasks); got ${[...keys.keys()].join(', ') || 'no files'}.`,
    );
  }
  return { keys };
}

async function validatedBundle(paths: BundlePaths): Promise<CheckedBundle> {
  try {
    return await checkBundle(paths);
  } catch (error) {
    if (error instanceof BundleError)
      throw new AppError(422, error.detail.code, error.detail.message, rejectionExtensions(error.detail));
    throw error;
  }
}

/**
 * sha256 over task.yaml, NUL, solution.csv, NUL, inputs.npy (empty when absent), read back from the
 * staged files: an unchanged bundle keeps its task version.
 */
async function bundleDigest(services: Services, staged: StagedBundle): Promise<string> {
  const hash = createHash('sha256');
  for (const [index, name] of BUNDLE_FILES.entries()) {
    if (index > 0) hash.update('\0');
    const key = staged.keys.get(name);
    if (key) for await (const chunk of createReadStream(services.storage.pathOf(key))) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}

export default async function taskRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/tasks',
    {
      preHandler: app.authenticate,
      schema: { summary: 'Tasks of my courses', tags: ['tasks'], response: { 200: TaskList, ...errorResponses } },
    },
    async (request) => {
      const principal = principalOf(request);
      const tasks = await listTasks(
        services.db,
        principal.memberships.map((m) => m.courseId),
      );
      return { tasks: tasks.map((task) => taskSummary(task, task.course.slug)) };
    },
  );

  typed.get(
    '/v1/tasks/:slug',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'A task: format, metric, baselines, my quota today',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: TaskSummary, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const quota = await quotaState(services, principal.userId, task, task.course.timeZone);
      return { ...taskSummary(task, task.course.slug), quota: quotaBody(quota) };
    },
  );

  typed.get(
    '/v1/tasks/:slug/leaderboard',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Best score per student, ranked (private board: TAs, or everyone after the reveal)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: LeaderboardQuery,
        response: { 200: Leaderboard, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await resolveTask(services, principal, request.params.slug, request.query.course);
      const rules = rulesOf(task);
      const staff = isStaff(principal, task.courseId);
      const revealed = privateScoresVisible(staff, task.revealAt, services.now());
      const split = request.query.split ?? 'public';
      if (split === 'private' && !revealed) {
        throw forbidden(
          task.revealAt
            ? `The private board opens at ${task.revealAt.toISOString()}.`
            : 'The private board is visible to TAs only.',
        );
      }
      const limit = request.query.limit ?? 50;
      const offset = request.query.offset ?? 0;
      const search = request.query.q?.trim() || undefined;
      const precision = revealed ? undefined : rules.publicPrecision;
      const board =
        split === 'private'
          ? await privateRows(task.id, rules.selectionLimit, limit, offset)
          : await publicRows(task.id, principal.userId, limit, offset);
      return {
        task: task.slug,
        split,
        direction: rules.direction,
        total: board.total,
        limit,
        offset,
        rows: board.rows.map((row) => ({
          rank: row.rank,
          displayName: row.displayName,
          value: roundScore(row.value, precision),
          submittedAt: row.submittedAt.toISOString(),
          submissions: row.submissions,
          isMe: row.userId === principal.userId,
        })),
        me: board.me
          ? {
              rank: board.me.rank,
              value: roundScore(board.me.value, precision),
              baselines: baselinesPassed(baselinesOf(rules), split, board.me.metrics, directionsOf(rules)).names,
            }
          : null,
        baselines: rules.baselines
          .map((baseline) => ({
            name: baseline.name,
            value: (split === 'private' ? baseline.private : baseline.public)[rules.metric.name],
          }))
          .filter((line): line is { name: string; value: number } => line.value !== undefined),
      };

      async function publicRows(taskId: string, userId: string, pageLimit: number, pageOffset: number) {
        const [page, myRank, mine] = await Promise.all([
          leaderboardPage(services.db, { taskId, split: 'PUBLIC', limit: pageLimit, offset: pageOffset, search }),
          rankOf(services.db, taskId, 'PUBLIC', userId),
          services.db.bestScore.findUnique({ where: { taskId_split_userId: { taskId, split: 'PUBLIC', userId } } }),
        ]);
        // Baselines may set thresholds on several metrics, so "passed" needs all of the entry's metrics.
        const score = mine
          ? await services.db.score.findUnique({
              where: { submissionId_split: { submissionId: mine.submissionId, split: 'PUBLIC' } },
            })
          : null;
        return {
          total: page.total,
          rows: page.rows.map((row) => ({ ...row, submissions: row.scoredCount })),
          me:
            myRank !== null && mine
              ? { rank: myRank, value: mine.value, metrics: (score?.metrics ?? {}) as Record<string, number> }
              : null,
        };
      }

      async function privateRows(taskId: string, selectionLimit: number, pageLimit: number, pageOffset: number) {
        const all = await privateBoard(services.db, taskId, selectionLimit);
        const counts = await services.db.submission.groupBy({
          by: ['userId'],
          where: { taskId, status: 'SCORED', late: false },
          _count: { _all: true },
        });
        const submitted = new Map(counts.map((row) => [row.userId, row._count._all]));
        const mine = all.find((row) => row.userId === principal.userId);
        const needle = search?.toLowerCase();
        const matching = needle ? all.filter((row) => row.displayName.toLowerCase().includes(needle)) : all;
        return {
          total: matching.length,
          rows: matching
            .slice(pageOffset, pageOffset + pageLimit)
            .map((row) => ({ ...row, submissions: submitted.get(row.userId) ?? 0 })),
          me: mine ? { rank: mine.rank, value: mine.value, metrics: mine.metrics } : null,
        };
      }
    },
  );

  typed.post(
    '/v1/courses/:course/tasks',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Create or replace a task from its bundle (TAs)',
        description:
          'multipart/form-data with task.yaml and solution.csv (and inputs.npy for onnx tasks), or one .tar.gz holding them. Files are streamed to a staging area, never held in memory (an archive is read whole). The bundle is validated (schema, metric, solution rows, the metric defined on each split) before anything is stored. Re-uploading changed hidden data bumps the task version.',
        tags: ['tasks'],
        params: Type.Object({ course: Type.String() }),
        response: { 200: TaskSaved, 201: TaskSaved, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      // Whatever happens, the staging folder goes: a refused bundle leaves nothing behind.
      const stagingKey = storageKeys.staging(randomUUID());
      let saved: Static<typeof TaskSaved>;
      try {
        const staged = await stageBundle(services, request, stagingKey);
        const pathOf = (name: string) =>
          staged.keys.has(name) ? services.storage.pathOf(staged.keys.get(name)!) : null;
        const definition = await validatedBundle({
          taskYamlPath: pathOf(TASK_FILE)!,
          solutionPath: pathOf(SOLUTION_FILE)!,
          inputsPath: pathOf(INPUTS_FILE),
        });
        const bundleSha256 = await bundleDigest(services, staged);
        const taskYaml = await readFile(pathOf(TASK_FILE)!);
        const existing = await services.db.task.findUnique({
          where: { courseId_slug: { courseId: membership.courseId, slug: definition.slug } },
        });
        const taskId = existing?.id ?? randomUUID();
        const version = existing
          ? existing.bundleSha256 === bundleSha256
            ? existing.version
            : existing.version + 1
          : 1;
        const bundleKey = storageKeys.taskBundle(taskId, version);
        // Files first, row second: a worker that sees the new version always finds its files.
        for (const [name, key] of staged.keys) await services.storage.move(key, storageKeys.taskFile(bundleKey, name));
        const { task, created } = await saveTask(
          services.db,
          {
            courseId: membership.courseId,
            slug: definition.slug,
            title: definition.title,
            description: definition.description,
            format: definition.format,
            metric: { name: definition.metric.name, options: definition.metric.options as Record<string, string> },
            direction: definition.direction === 'higher' ? 'HIGHER' : 'LOWER',
            config: JSON.parse(JSON.stringify(taskYamlDocument(taskYaml))) as TaskRecordInput['config'],
            bundleSha256,
            dailyQuota: definition.dailySubmissions,
            maxUploadBytes: definition.maxUploadBytes,
            opensAt: definition.opensAt ? new Date(definition.opensAt) : undefined,
            deadline: definition.deadline ? new Date(definition.deadline) : undefined,
            revealAt: definition.revealAt ? new Date(definition.revealAt) : undefined,
          },
          (id, v) => storageKeys.taskBundle(id, v),
          taskId,
        );
        saved = {
          created,
          task: taskSummary(task, membership.courseSlug),
          rows: { public: definition.publicRows, private: definition.privateRows },
        };
      } finally {
        await services.storage.delete(stagingKey);
      }
      // Answer only after the staging area is gone, so a client never sees it linger.
      return reply.status(saved.created ? 201 : 200).send(saved);
    },
  );
}

/** The task.yaml document as plain JSON, stored with the task for display. */
function taskYamlDocument(taskYaml: Buffer): unknown {
  return parseYaml(taskYaml.toString('utf8'));
}

/** Tasks: list, read, leaderboard, and the TA's bundle upload. Hidden files are never served. */
import { createHash, randomUUID } from 'node:crypto';
import { leaderboardPage, listTasks, privateBoard, rankOf, saveTask } from '@mljudge/db';
import { roundScore } from '@mljudge/grading';
import { rulesOf } from '../task-rules.ts';
import { BundleError } from '@mljudge/formats';
import { INPUTS_FILE, SOLUTION_FILE, TASK_FILE } from '@mljudge/scoring';
import { checkBundle, type CheckedBundle } from '../bundle-check/check-bundle.ts';
import { ArchiveError, readTarGz, storageKeys } from '@mljudge/storage';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { parse as parseYaml } from 'yaml';
import { isStaff, principalOf } from '../plugins/auth.ts';
import { AppError, forbidden, rejectionExtensions } from '../problem.ts';
import { CourseQuery, errorResponses } from '../schemas/common.ts';
import { TaskParams } from '../schemas/submissions.ts';
import { Leaderboard, LeaderboardQuery, TaskList, TaskSaved, TaskSummary } from '../schemas/tasks.ts';
import { resolveTask } from '../task-access.ts';
import { quotaBody, quotaState } from '../quota.ts';
import { privateScoresVisible, taskSummary } from '../views.ts';

const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;

/** Collects task.yaml and solution.csv from multipart parts: the two files, or one .tar.gz/.tgz with them. */
async function bundleFiles(request: FastifyRequest): Promise<{ taskYaml: Buffer; solution: Buffer; inputs: Buffer | null }> {
  if (!request.isMultipart()) throw new AppError(415, 'MULTIPART_REQUIRED', 'Upload task.yaml and solution.csv (or one .tar.gz holding both) as multipart/form-data.');
  const files = new Map<string, Buffer>();
  for await (const part of request.files({ limits: { fileSize: MAX_BUNDLE_BYTES, files: 4 } })) {
    const buffer = await part.toBuffer();
    if (part.file.truncated) throw new AppError(413, 'UPLOAD_TOO_LARGE', `A bundle file is larger than ${MAX_BUNDLE_BYTES} bytes.`);
    const name = part.filename || part.fieldname;
    if (/\.(tar\.gz|tgz)$/i.test(name)) {
      try {
        for (const [entry, content] of readTarGz(buffer, { maxInflatedBytes: MAX_BUNDLE_BYTES, maxEntries: 64 })) files.set(entry.split('/').pop()!, content);
      } catch (error) {
        if (error instanceof ArchiveError) throw new AppError(422, 'BUNDLE_ARCHIVE_INVALID', error.message);
        throw error;
      }
    } else {
      files.set(name.split(/[\\/]/).pop()!, buffer);
    }
  }
  const taskYaml = files.get(TASK_FILE);
  const solution = files.get(SOLUTION_FILE);
  if (!taskYaml || !solution) throw new AppError(422, 'BUNDLE_INCOMPLETE', `A bundle needs ${TASK_FILE} and ${SOLUTION_FILE} (and ${INPUTS_FILE} for onnx tasks); got ${[...files.keys()].join(', ') || 'no files'}.`);
  return { taskYaml, solution, inputs: files.get(INPUTS_FILE) ?? null };
}

async function validatedBundle(taskYaml: Buffer, solution: Buffer, inputs: Buffer | null): Promise<CheckedBundle> {
  try {
    return await checkBundle(taskYaml, solution, inputs);
  } catch (error) {
    if (error instanceof BundleError) throw new AppError(422, error.detail.code, error.detail.message, rejectionExtensions(error.detail));
    throw error;
  }
}

export default async function taskRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get('/v1/tasks', {
    preHandler: app.authenticate,
    schema: { summary: 'Tasks of my courses', tags: ['tasks'], response: { 200: TaskList, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const tasks = await listTasks(services.db, principal.memberships.map((m) => m.courseId));
    return { tasks: tasks.map((task) => taskSummary(task, task.course.slug)) };
  });

  typed.get('/v1/tasks/:slug', {
    preHandler: app.authenticate,
    schema: { summary: 'A task: format, metric, baselines, my quota today', tags: ['tasks'], params: TaskParams, querystring: CourseQuery, response: { 200: TaskSummary, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const task = await resolveTask(services, principal, request.params.slug, request.query.course);
    const quota = await quotaState(services, principal.userId, task, task.course.timeZone);
    return { ...taskSummary(task, task.course.slug), quota: quotaBody(quota) };
  });

  typed.get('/v1/tasks/:slug/leaderboard', {
    preHandler: app.authenticate,
    schema: { summary: 'Best score per student, ranked (private board: TAs, or everyone after the reveal)', tags: ['tasks'], params: TaskParams, querystring: LeaderboardQuery, response: { 200: Leaderboard, ...errorResponses } },
  }, async (request) => {
    const principal = principalOf(request);
    const task = await resolveTask(services, principal, request.params.slug, request.query.course);
    const rules = rulesOf(task);
    const staff = isStaff(principal, task.courseId);
    const revealed = privateScoresVisible(staff, task.revealAt, services.now());
    const split = request.query.split ?? 'public';
    if (split === 'private' && !revealed) {
      throw forbidden(task.revealAt ? `The private board opens at ${task.revealAt.toISOString()}.` : 'The private board is visible to TAs only.');
    }
    const limit = request.query.limit ?? 50;
    const offset = request.query.offset ?? 0;
    const search = request.query.q?.trim() || undefined;
    const precision = revealed ? undefined : rules.publicPrecision;
    const board = split === 'private' ? await privateRows(task.id, rules.selectionLimit, limit, offset) : await publicRows(task.id, principal.userId, limit, offset);
    return {
      task: task.slug,
      split,
      direction: rules.direction,
      total: board.total,
      limit,
      offset,
      rows: board.rows.map((row) => ({ rank: row.rank, displayName: row.displayName, value: roundScore(row.value, precision), submittedAt: row.submittedAt.toISOString(), submissions: row.submissions, isMe: row.userId === principal.userId })),
      me: board.me ? { rank: board.me.rank, value: roundScore(board.me.value, precision) } : null,
      baselines: rules.baselines
        .map((baseline) => ({ name: baseline.name, value: (split === 'private' ? baseline.private : baseline.public)[rules.metric.name] }))
        .filter((line): line is { name: string; value: number } => line.value !== undefined),
    };

    async function publicRows(taskId: string, userId: string, pageLimit: number, pageOffset: number) {
      const [page, myRank, mine] = await Promise.all([
        leaderboardPage(services.db, { taskId, split: 'PUBLIC', limit: pageLimit, offset: pageOffset, search }),
        rankOf(services.db, taskId, 'PUBLIC', userId),
        services.db.bestScore.findUnique({ where: { taskId_split_userId: { taskId, split: 'PUBLIC', userId } } }),
      ]);
      return {
        total: page.total,
        rows: page.rows.map((row) => ({ ...row, submissions: row.scoredCount })),
        me: myRank !== null && mine ? { rank: myRank, value: mine.value } : null,
      };
    }

    async function privateRows(taskId: string, selectionLimit: number, pageLimit: number, pageOffset: number) {
      const all = await privateBoard(services.db, taskId, selectionLimit);
      const counts = await services.db.submission.groupBy({ by: ['userId'], where: { taskId, status: 'SCORED', late: false }, _count: { _all: true } });
      const submitted = new Map(counts.map((row) => [row.userId, row._count._all]));
      const mine = all.find((row) => row.userId === principal.userId);
      const needle = search?.toLowerCase();
      const matching = needle ? all.filter((row) => row.displayName.toLowerCase().includes(needle)) : all;
      return {
        total: matching.length,
        rows: matching.slice(pageOffset, pageOffset + pageLimit).map((row) => ({ ...row, submissions: submitted.get(row.userId) ?? 0 })),
        me: mine ? { rank: mine.rank, value: mine.value } : null,
      };
    }
  });

  typed.post('/v1/courses/:course/tasks', {
    preHandler: app.authenticate,
    schema: {
      summary: 'Create or replace a task from its bundle (TAs)',
      description: 'multipart/form-data with task.yaml and solution.csv, or one .tar.gz holding both. The bundle is validated (schema, metric, solution rows, the metric defined on each split) before anything is stored. Re-uploading changed hidden data bumps the task version.',
      tags: ['tasks'],
      params: Type.Object({ course: Type.String() }),
      response: { 200: TaskSaved, 201: TaskSaved, ...errorResponses },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const membership = principal.memberships.find((m) => m.courseSlug === request.params.course);
    if (!membership) throw new AppError(404, 'NOT_FOUND', `Course "${request.params.course}" was not found.`);
    if (!isStaff(principal, membership.courseId)) throw forbidden('Only TAs and admins can create tasks.');
    const { taskYaml, solution, inputs } = await bundleFiles(request);
    const definition = await validatedBundle(taskYaml, solution, inputs);
    const bundleSha256 = createHash('sha256').update(taskYaml).update('\0').update(solution).update('\0').update(inputs ?? '').digest('hex');
    const existing = await services.db.task.findUnique({ where: { courseId_slug: { courseId: membership.courseId, slug: definition.slug } } });
    const taskId = existing?.id ?? randomUUID();
    const version = existing ? (existing.bundleSha256 === bundleSha256 ? existing.version : existing.version + 1) : 1;
    const bundleKey = storageKeys.taskBundle(taskId, version);
    // Files first, row second: a worker that sees the new version always finds its files.
    await services.storage.writeBuffer(storageKeys.taskFile(bundleKey, TASK_FILE), taskYaml);
    await services.storage.writeBuffer(storageKeys.taskFile(bundleKey, SOLUTION_FILE), solution);
    if (inputs) await services.storage.writeBuffer(storageKeys.taskFile(bundleKey, INPUTS_FILE), inputs);
    const { task, created } = await saveTask(services.db, {
      courseId: membership.courseId,
      slug: definition.slug,
      title: definition.title,
      description: definition.description,
      format: definition.format,
      metric: { name: definition.metric.name, options: definition.metric.options as Record<string, string> },
      direction: definition.direction === 'higher' ? 'HIGHER' : 'LOWER',
      config: JSON.parse(JSON.stringify(taskYamlDocument(taskYaml))),
      bundleSha256,
      dailyQuota: definition.dailySubmissions,
      maxUploadBytes: definition.maxUploadBytes,
      opensAt: definition.opensAt ? new Date(definition.opensAt) : undefined,
      deadline: definition.deadline ? new Date(definition.deadline) : undefined,
      revealAt: definition.revealAt ? new Date(definition.revealAt) : undefined,
    }, (id, v) => storageKeys.taskBundle(id, v), taskId);
    return reply.status(created ? 201 : 200).send({
      created,
      task: taskSummary(task, membership.courseSlug),
      rows: { public: definition.publicRows, private: definition.privateRows },
    });
  });
}

/** The task.yaml document as plain JSON, stored with the task for display. */
function taskYamlDocument(taskYaml: Buffer): unknown {
  return parseYaml(taskYaml.toString('utf8'));
}

/**
 * Course rules over REST: final selection (students), overrides, rescoring, exports and the integrity
 * report (TAs). Every TA action is audited.
 */
import {
  integrityReport,
  rescoreProgress,
  saveOverride,
  setSelection,
  startRescore,
  submissionsExport,
} from '@mljudge/db';
import { submissionWindow } from '@mljudge/grading';
import { scoringQueueFor } from '@mljudge/queue';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { courseGradebook } from '../gradebook.ts';
import { csvText } from '../csv-text.ts';
import { principalOf } from '../plugins/auth.ts';
import { AppError, notFound } from '../problem.ts';
import { CourseQuery, DateTime, Nullable, errorResponses } from '../schemas/common.ts';
import { SubmissionParams, TaskParams } from '../schemas/submissions.ts';
import { staffCourse, staffTask } from '../task-access.ts';
import { rulesOf } from '../task-rules.ts';

const SELECTION_ERRORS = {
  'not-found': () => notFound('Submission'),
  'not-scored': () =>
    new AppError(409, 'SELECTION_NOT_SCORED', 'Only scored submissions can be selected for the private board.'),
  late: () => new AppError(409, 'SELECTION_LATE', 'Late submissions are not ranked and cannot be selected.'),
} as const;

export default async function courseRuleRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.put(
    '/v1/submissions/:id/selection',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Select a submission for the private board (or unselect it)',
        description:
          "Up to the task's selection limit (default 2); with none selected, your best public ones count. Closes at the deadline.",
        tags: ['course rules'],
        params: SubmissionParams,
        body: Type.Object({ selected: Type.Boolean() }),
        response: {
          200: Type.Object({
            id: Type.String(),
            selected: Type.Boolean(),
            selectedCount: Type.Integer(),
            limit: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const submission = await services.db.submission.findUnique({
        where: { id: request.params.id },
        include: { task: true },
      });
      if (!submission || submission.userId !== principal.userId) throw notFound('Submission');
      const rules = rulesOf(submission.task);
      const override = await services.db.taskOverride.findUnique({
        where: { taskId_userId: { taskId: submission.taskId, userId: principal.userId } },
      });
      const window = submissionWindow(
        services.now(),
        { deadline: rules.deadline, latePolicy: 'refuse' },
        override?.deadline,
      );
      if (window.state === 'closed')
        throw new AppError(
          403,
          'SELECTION_CLOSED',
          `Selection closed at the deadline, ${window.deadline.toISOString()}.`,
        );
      const outcome = await setSelection(
        services.db,
        submission.id,
        principal.userId,
        request.body.selected,
        rules.selectionLimit,
      );
      if (outcome === 'limit-reached') {
        throw new AppError(
          409,
          'SELECTION_LIMIT',
          `You can select at most ${rules.selectionLimit} submissions; unselect one first.`,
          { limit: rules.selectionLimit },
        );
      }
      if (outcome !== 'ok') throw SELECTION_ERRORS[outcome]();
      const selectedCount = await services.db.submission.count({
        where: { taskId: submission.taskId, userId: principal.userId, selected: true },
      });
      return { id: submission.id, selected: request.body.selected, selectedCount, limit: rules.selectionLimit };
    },
  );

  const Override = Type.Object({
    email: Type.String(),
    extraDailySubmissions: Type.Integer(),
    deadline: Nullable(DateTime),
    reason: Type.String(),
    updatedAt: DateTime,
  });

  typed.put(
    '/v1/tasks/:slug/overrides/:email',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Give one student extra daily submissions or a later deadline (TAs; audited)',
        tags: ['course rules'],
        params: Type.Object({ slug: Type.String(), email: Type.String() }),
        querystring: CourseQuery,
        body: Type.Object({
          extraDailySubmissions: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 0 })),
          deadline: Type.Optional(Nullable(DateTime)),
          reason: Type.String({ minLength: 3, maxLength: 500 }),
        }),
        response: { 200: Override, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      const student = await services.db.user.findUnique({
        where: { email: request.params.email.toLowerCase() },
        include: { memberships: { where: { courseId: task.courseId } } },
      });
      if (!student || student.memberships.length === 0)
        throw notFound(`Student ${request.params.email} in this course`);
      const deadline = request.body.deadline ? new Date(request.body.deadline) : null;
      const override = await saveOverride(services.db, {
        taskId: task.id,
        userId: student.id,
        courseId: task.courseId,
        actorId: principal.userId,
        extraDailySubmissions: request.body.extraDailySubmissions ?? 0,
        deadline,
        reason: request.body.reason,
      });
      return {
        email: student.email,
        extraDailySubmissions: override.extraDailySubmissions,
        deadline: override.deadline?.toISOString() ?? null,
        reason: override.reason,
        updatedAt: override.updatedAt.toISOString(),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/overrides',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Overrides on a task (TAs)',
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: Type.Object({ overrides: Type.Array(Override) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      const rows = await services.db.taskOverride.findMany({
        where: { taskId: task.id },
        include: { user: true },
        orderBy: { user: { email: 'asc' } },
      });
      return {
        overrides: rows.map((row) => ({
          email: row.user.email,
          extraDailySubmissions: row.extraDailySubmissions,
          deadline: row.deadline?.toISOString() ?? null,
          reason: row.reason,
          updatedAt: row.updatedAt.toISOString(),
        })),
      };
    },
  );

  const RescoreStatus = Type.Object({
    runId: Type.String(),
    reason: Type.String(),
    taskVersion: Type.Integer(),
    submissions: Type.Integer(),
    done: Type.Integer(),
    pending: Type.Integer(),
    startedAt: DateTime,
  });

  typed.post(
    '/v1/tasks/:slug/rescore',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Rescore every submission of the task with its current hidden data and metric (TAs)',
        description:
          "Old scores move to each submission's history with the reason. Safe to repeat: a repeated run queues everything again.",
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }),
        response: { 202: RescoreStatus, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      if (!(await services.queues.isAvailable()))
        throw new AppError(
          503,
          'QUEUE_UNAVAILABLE',
          'Scoring is temporarily unavailable; retry in a few seconds.',
          {},
          { 'retry-after': '5' },
        );
      const { run, submissionIds } = await startRescore(services.db, task.id, principal.userId, request.body.reason);
      for (const submissionId of submissionIds) {
        await services.queues
          .enqueueScoring({ submissionId }, scoringQueueFor(task.format))
          .catch((error: Error) =>
            request.log.warn({ err: error, submissionId }, 'enqueue failed; left for the recovery sweep'),
          );
      }
      return reply.status(202).send({
        runId: run.id,
        reason: run.reason,
        taskVersion: run.taskVersion,
        submissions: run.submissions,
        done: 0,
        pending: submissionIds.length,
        startedAt: run.createdAt.toISOString(),
      });
    },
  );

  typed.get(
    '/v1/tasks/:slug/rescore',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Progress of the latest rescoring (TAs)',
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: RescoreStatus, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      const progress = await rescoreProgress(services.db, task.id);
      if (!progress) throw notFound('A rescoring run of this task');
      return {
        runId: progress.run.id,
        reason: progress.run.reason,
        taskVersion: progress.run.taskVersion,
        submissions: progress.run.submissions,
        done: progress.done,
        pending: progress.pending,
        startedAt: progress.run.createdAt.toISOString(),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/integrity',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Students with byte-identical files or identical (public, private) scores (TAs)',
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        response: {
          200: Type.Object({
            groups: Type.Array(
              Type.Object({
                kind: Type.String(),
                key: Type.String(),
                students: Type.Array(
                  Type.Object({ userId: Type.String(), email: Type.String(), submissionId: Type.String() }),
                ),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      return { groups: await integrityReport(services.db, task.id) };
    },
  );

  typed.get(
    '/v1/tasks/:slug/submissions.csv',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Every submission of the task with both scores, as CSV (TAs)',
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const task = await staffTask(services, principal, request.params.slug, request.query.course);
      const rows = await submissionsExport(services.db, task.id);
      const body = csvText(
        [
          'submission_id',
          'email',
          'name',
          'status',
          'created_at',
          'late',
          'selected',
          'sha256',
          'public',
          'private',
          'error_code',
        ],
        rows.map((row) => [
          row.submissionId,
          row.email,
          row.displayName,
          row.status,
          row.createdAt,
          row.late,
          row.selected,
          row.sha256,
          row.publicValue,
          row.privateValue,
          row.errorCode,
        ]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${task.slug}-submissions.csv"`)
        .send(body);
    },
  );

  typed.get(
    '/v1/courses/:course/gradebook.csv',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Points per student and task from the baselines passed, and the course total (TAs)',
        tags: ['course rules'],
        params: Type.Object({ course: Type.String() }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const { tasks, students } = await courseGradebook(services.db, membership.courseId);
      const header = [
        'email',
        'name',
        ...tasks.flatMap((task) => [`${task.slug}_public`, `${task.slug}_private`, `${task.slug}_points`]),
        'total',
      ];
      const rows = students.map((student) => [
        student.email,
        student.displayName,
        ...tasks.flatMap((task) => {
          const grade = student.tasks[task.slug]!;
          return [grade.publicPoints, grade.privatePoints, grade.points];
        }),
        student.total,
      ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.course}-gradebook.csv"`)
        .send(csvText(header, rows));
    },
  );
}

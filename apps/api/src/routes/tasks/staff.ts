/**
 * The TAs' tools on one task: per-student overrides, rescoring, the integrity report, the dashboard's
 * statistics and the submissions export. Staff only (students of the course get 403); every change
 * is audited.
 */
import {
  countStudents,
  findCourseMember,
  findOverride,
  listSubmissions,
  publicEntryOf,
  hourlyActivity,
  integrityReport,
  listOverrides,
  privateBoard,
  publicBests,
  rescoreProgress,
  saveOverride,
  setTaskState,
  startRescore,
  recentFailures,
  statusCounts,
  submissionsExport,
} from '@mljudge/db';
import { scoringQueueFor } from '@mljudge/queue';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { staffTask } from '../../access.ts';
import { csvText } from '../../csv-text.ts';
import { readerContext } from '../../visibility.ts';
import { submissionView } from '@mljudge/views';
import { SubmissionView } from '../submissions/schemas.ts';
import { principalOf } from '../../plugins/auth.ts';
import { notFound, unavailable } from '../../problems/app-error.ts';
import { CourseQuery, errorResponses, Nullable, TaskParams } from '../../schemas/common.ts';
import Type from 'typebox';
import {
  IntegrityReport,
  Override,
  OverrideBody,
  OverrideParams,
  RescoreBody,
  RescoreStatus,
  TaskFailures,
  TaskStateChange,
  TaskStats,
  TaskSummary,
} from './schemas.ts';
import { announceTaskLive } from './task-live.ts';
import { taskSummary } from './task-view.ts';

const overrideView = (row: {
  email: string;
  extraDailySubmissions: number;
  deadline: Date | null;
  reason: string;
  updatedAt: Date;
}) => ({
  email: row.email,
  extraDailySubmissions: row.extraDailySubmissions,
  deadline: row.deadline?.toISOString() ?? null,
  reason: row.reason,
  updatedAt: row.updatedAt.toISOString(),
});

/** A TA page's worth: the newest failures are the ones to act on. */
const FAILURES_SHOWN = 100;

export default async function taskStaffRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.put(
    '/v1/tasks/:slug/state',
    {
      schema: {
        summary: 'Hide a task pushed by mistake, archive a finished one, or show it again (TAs)',
        description:
          'hidden: students neither see the task nor submit, and it leaves the gradebook. archived: students still see the task, its boards and their files, but it takes no more uploads; it stays in the gradebook. visible: back to normal.',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        body: TaskStateChange,
        response: { 200: TaskSummary, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { task, rules } = await staffTask(services, principal, request.params.slug, request.query.course);
      const updated = await setTaskState(services.db, task, request.body.state, principal.userId, services.now());
      if (request.body.state === 'visible') announceTaskLive(services, updated.id, request.log);
      return taskSummary(updated, rules, updated.course);
    },
  );

  typed.put(
    '/v1/tasks/:slug/overrides/:email',
    {
      schema: {
        summary: 'Give one student extra daily submissions or a later deadline (TAs; audited)',
        tags: ['tasks'],
        params: OverrideParams,
        querystring: CourseQuery,
        body: OverrideBody,
        response: { 200: Override, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { task } = await staffTask(services, principal, request.params.slug, request.query.course);
      const student = await findCourseMember(services.db, task.courseId, request.params.email);
      if (!student) throw notFound(`Student ${request.params.email} in this course`);
      const saved = await saveOverride(services.db, {
        taskId: task.id,
        userId: student.userId,
        courseId: task.courseId,
        actorId: principal.userId,
        extraDailySubmissions: request.body.extraDailySubmissions ?? 0,
        deadline: request.body.deadline ? new Date(request.body.deadline) : null,
        reason: request.body.reason,
      });
      return overrideView({ ...saved, email: student.email });
    },
  );

  typed.get(
    '/v1/tasks/:slug/students/:email',
    {
      schema: {
        summary: 'One student on a task, as a TA sees them: every submission with its scores, rank, override (TAs)',
        tags: ['tasks'],
        params: OverrideParams,
        querystring: CourseQuery,
        response: {
          200: Type.Object({
            student: Type.Object({ email: Type.String(), displayName: Type.String(), role: Type.String() }),
            publicRank: Nullable(Type.Object({ rank: Type.Integer(), value: Type.Number() })),
            override: Nullable(Override),
            selectedCount: Type.Integer(),
            submissions: Type.Array(SubmissionView),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const access = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
      const member = await findCourseMember(services.db, access.task.courseId, request.params.email);
      if (!member) throw notFound(`Member ${request.params.email}`);
      const [rows, entry, override, context] = await Promise.all([
        listSubmissions(services.db, access.task.id, member.userId, 1000),
        publicEntryOf(services.db, access.task.id, member.userId),
        findOverride(services.db, access.task.id, member.userId),
        readerContext(services, access, member.userId),
      ]);
      return {
        student: { email: member.email, displayName: member.displayName, role: member.role.toLowerCase() },
        publicRank: entry ? { rank: entry.rank, value: entry.value } : null,
        override: override
          ? overrideView({
              email: member.email,
              extraDailySubmissions: override.extraDailySubmissions,
              deadline: override.deadline,
              reason: override.reason,
              updatedAt: override.updatedAt,
            })
          : null,
        selectedCount: rows.filter((row) => row.selected).length,
        submissions: rows.map((row) => submissionView(row, context)),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/overrides',
    {
      schema: {
        summary: 'Overrides on a task (TAs)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: Type.Object({ overrides: Type.Array(Override) }), ...errorResponses },
      },
    },
    async (request) => {
      const { task } = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
      return { overrides: (await listOverrides(services.db, task.id)).map(overrideView) };
    },
  );

  typed.post(
    '/v1/tasks/:slug/rescore',
    {
      schema: {
        summary: 'Rescore every submission of the task with its current hidden data and metric (TAs)',
        description:
          "Old scores move to each submission's history with the reason. Safe to repeat: a repeated run queues everything again.",
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        body: RescoreBody,
        response: { 202: RescoreStatus, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { task } = await staffTask(services, principal, request.params.slug, request.query.course);
      if (!services.queues.isConnected()) {
        throw unavailable('SERVICE_UNAVAILABLE', 'Scoring is temporarily unavailable; retry in a few seconds.', 5);
      }
      const { run, submissionIds } = await startRescore(services.db, task.id, principal.userId, request.body.reason);
      for (const submissionId of submissionIds) {
        await services.queues
          .enqueue('score-submission', { submissionId }, scoringQueueFor(task))
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
      schema: {
        summary: 'Progress of the latest rescoring (TAs)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: RescoreStatus, ...errorResponses },
      },
    },
    async (request) => {
      const { task } = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
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
      schema: {
        summary: 'Students with byte-identical files or identical (public, private) scores (TAs)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: IntegrityReport, ...errorResponses },
      },
    },
    async (request) => {
      const { task } = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
      return { groups: await integrityReport(services.db, task.id) };
    },
  );

  typed.get(
    '/v1/tasks/:slug/stats',
    {
      schema: {
        summary: 'Score distribution, baselines and uploads per hour of a task (TAs)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: TaskStats, ...errorResponses },
      },
    },
    async (request) => {
      const { task, rules } = await staffTask(
        services,
        principalOf(request),
        request.params.slug,
        request.query.course,
      );
      const metric = rules.metric.name;
      const [publics, privates, hourly, statuses, students] = await Promise.all([
        publicBests(services.db, task.id),
        privateBoard(services.db, task.id, rules.selectionLimit),
        hourlyActivity(services.db, task.id),
        statusCounts(services.db, task.id),
        countStudents(services.db, task.courseId),
      ]);
      const line = (split: 'public' | 'private') =>
        rules.baselines
          .map((baseline) => ({ name: baseline.name, value: baseline[split][metric] }))
          .filter((entry): entry is { name: string; value: number } => entry.value !== undefined);
      return {
        task: task.slug,
        metric,
        direction: rules.direction,
        students,
        public: publics
          .filter((best) => !best.late)
          .map((best) => best.metrics[metric]!)
          .filter(Number.isFinite),
        private: privates.map((row) => row.value),
        baselines: { public: line('public'), private: line('private') },
        statuses,
        hourly: hourly.map((hour) => ({ ...hour, hour: hour.hour.toISOString() })),
        deadline: rules.deadline?.toISOString() ?? null,
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/failures',
    {
      schema: {
        summary: "The task's latest FAILED submissions, with what a scoring program did (TAs)",
        description:
          "Failures never cost students quota and never show them why; here the TAs see each one's code, the student's message and, for PROGRAM_FAILED, the program's exit, time and stderr (truncated). Rescore the task once the program is fixed.",
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: TaskFailures, ...errorResponses },
      },
    },
    async (request) => {
      const { task } = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
      const rows = await recentFailures(services.db, task.id, FAILURES_SHOWN);
      return {
        task: task.slug,
        failures: rows.map((row) => ({
          submissionId: row.submissionId,
          email: row.email,
          createdAt: row.createdAt.toISOString(),
          finishedAt: row.finishedAt?.toISOString() ?? null,
          code: row.errorCode ?? 'UNKNOWN',
          message: typeof row.errorDetail?.message === 'string' ? row.errorDetail.message : '',
          program: (row.errorDetail?.program as Record<string, unknown> | undefined) ?? null,
        })),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug/submissions.csv',
    {
      schema: {
        summary: 'Every submission of the task with both scores, as CSV (TAs)',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'RFC 4180 CSV with a header row' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { task } = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
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
}

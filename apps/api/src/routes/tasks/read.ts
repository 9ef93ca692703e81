/** GET /v1/tasks and GET /v1/tasks/:slug: the tasks of my courses, and one with my quota today. */
import { extendedDeadlinesOf, listTasks, submissionContext } from '@mljudge/db';
import { quotaDay } from '@mljudge/grading';
import { definitionOf } from '@mljudge/scoring';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { resolveTask, studentsSee } from '../../access.ts';
import { isStaff, principalOf } from '../../plugins/auth.ts';
import { quotaBody, quotaState } from '../../quota.ts';
import { CourseQuery, errorResponses, TaskParams } from '../../schemas/common.ts';
import { TaskList, TaskSummary } from './schemas.ts';
import { taskSummary } from './task-view.ts';

export default async function taskReadRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/tasks',
    {
      schema: {
        summary: 'Tasks of my courses (students: the ones open already), with my own deadline',
        tags: ['tasks'],
        response: { 200: TaskList, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const now = services.now();
      const [tasks, extended] = await Promise.all([
        listTasks(
          services.db,
          principal.memberships.map((m) => m.courseId),
        ),
        extendedDeadlinesOf(services.db, principal.userId),
      ]);
      return {
        tasks: tasks
          .map((task) => ({ task, rules: definitionOf(task) }))
          .filter(({ task, rules }) => isStaff(principal, task.courseId) || studentsSee(task, rules, now))
          .map(({ task, rules }) => ({
            ...taskSummary(task, rules, task.course),
            deadlineForYou: (extended.get(task.id) ?? rules.deadline)?.toISOString() ?? null,
            deadlineExtended: extended.has(task.id),
          })),
      };
    },
  );

  typed.get(
    '/v1/tasks/:slug',
    {
      schema: {
        summary: 'A task: format, metric, baselines, my quota today and my deadline',
        tags: ['tasks'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: TaskSummary, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { task, rules } = await resolveTask(services, principal, request.params.slug, request.query.course);
      const day = quotaDay(services.now(), task.course.timeZone);
      const context = await submissionContext(services.db, task.id, principal.userId, day.start);
      const quota = quotaState(day, rules.dailySubmissions, context.override?.extraDailySubmissions ?? 0, context.used);
      const extendedDeadline = context.override?.deadline ?? null;
      return {
        ...taskSummary(task, rules, task.course),
        quota: quotaBody(quota),
        deadlineForYou: (extendedDeadline ?? rules.deadline)?.toISOString() ?? null,
        deadlineExtended: extendedDeadline !== null,
      };
    },
  );
}

/**
 * Read models for the TA dashboard: a task's score distribution and upload activity, and the course
 * gradebook as JSON (the CSV export has the same numbers). Staff only; students get 403.
 */
import { hourlyActivity, privateBoard, publicBests, statusCounts } from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { courseGradebook } from '../gradebook.ts';
import { principalOf } from '../plugins/auth.ts';
import { CourseQuery, DateTime, errorResponses } from '../schemas/common.ts';
import { TaskParams } from '../schemas/submissions.ts';
import { staffCourse, staffTask } from '../task-access.ts';
import { rulesOf } from '../task-rules.ts';

const Line = Type.Object({ name: Type.String(), value: Type.Number() });

const TaskStats = Type.Object({
  task: Type.String(),
  metric: Type.String(),
  direction: Type.Union([Type.Literal('higher'), Type.Literal('lower')]),
  students: Type.Integer({ description: 'students in the course' }),
  public: Type.Array(Type.Number(), { description: "each student's best public score (late work excluded)" }),
  private: Type.Array(Type.Number(), { description: "each student's private score from their final selection" }),
  baselines: Type.Object({ public: Type.Array(Line), private: Type.Array(Line) }),
  statuses: Type.Record(Type.String(), Type.Integer()),
  hourly: Type.Array(Type.Object({ hour: DateTime, submissions: Type.Integer(), rejected: Type.Integer() })),
  deadline: Type.Union([DateTime, Type.Null()]),
});

const Gradebook = Type.Object({
  course: Type.String(),
  bestOf: Type.Union([Type.Integer(), Type.Null()]),
  tasks: Type.Array(Type.Object({ slug: Type.String(), title: Type.String() })),
  students: Type.Array(
    Type.Object({
      email: Type.String(),
      displayName: Type.String(),
      tasks: Type.Record(
        Type.String(),
        Type.Object({ publicPoints: Type.Number(), privatePoints: Type.Number(), points: Type.Number() }),
      ),
      total: Type.Number(),
    }),
  ),
});

export default async function dashboardRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/tasks/:slug/stats',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Score distribution, baselines and uploads per hour of a task (TAs)',
        tags: ['course rules'],
        params: TaskParams,
        querystring: CourseQuery,
        response: { 200: TaskStats, ...errorResponses },
      },
    },
    async (request) => {
      const task = await staffTask(services, principalOf(request), request.params.slug, request.query.course);
      const rules = rulesOf(task);
      const metric = rules.metric.name;
      const [publics, privates, hourly, statuses, students] = await Promise.all([
        publicBests(services.db, task.id),
        privateBoard(services.db, task.id, rules.selectionLimit),
        hourlyActivity(services.db, task.id),
        statusCounts(services.db, task.id),
        services.db.membership.count({ where: { courseId: task.courseId, role: 'STUDENT' } }),
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
        deadline: task.deadline?.toISOString() ?? null,
      };
    },
  );

  typed.get(
    '/v1/courses/:course/gradebook',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Points per student and task, and the course total, as JSON (TAs); gradebook.csv has the same',
        tags: ['course rules'],
        params: Type.Object({ course: Type.String() }),
        response: { 200: Gradebook, ...errorResponses },
      },
    },
    async (request) => {
      const membership = staffCourse(principalOf(request), request.params.course);
      const [course, { tasks, students }] = await Promise.all([
        services.db.course.findUniqueOrThrow({ where: { id: membership.courseId } }),
        courseGradebook(services.db, membership.courseId),
      ]);
      return {
        course: course.slug,
        bestOf: course.gradeBestOf,
        tasks: tasks.map((task) => ({ slug: task.slug, title: task.title })),
        students: students.map(({ userId: _userId, ...student }) => student),
      };
    },
  );
}

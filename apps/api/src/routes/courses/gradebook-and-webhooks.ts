/** A course's gradebook (JSON, CSV, Canvas CSV) and the webhooks registered on it. */
import { createWebhook, WebhookLimitError, type WebhookEvent, WEBHOOK_EVENTS } from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { memberOf, staffCourse } from '../../access.ts';
import { csvText } from '../../csv-text.ts';
import { isStaff, principalOf } from '../../plugins/auth.ts';
import { AppError, forbidden } from '../../problems/app-error.ts';
import { CourseParams, errorResponses } from '../../schemas/common.ts';
import Type from 'typebox';
import { courseGradebook } from './gradebook.ts';
import { Gradebook, WebhookBody, WebhookCreated } from './schemas.ts';
import { webhookView } from './webhook-view.ts';

/** A webhook target may not carry credentials: they would be stored and shown back in clear. */
function checkedWebhookUrl(text: string): string {
  const url = new URL(text);
  if (url.username || url.password)
    throw new AppError('WEBHOOK_URL_INVALID', 'A webhook URL may not contain a user name or password.');
  return url.toString();
}

export default async function gradebookAndWebhookRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/courses/:course/gradebook',
    {
      schema: {
        summary: 'Points per student and task, and the course total, as JSON (TAs); gradebook.csv has the same',
        tags: ['courses'],
        params: CourseParams,
        response: { 200: Gradebook, ...errorResponses },
      },
    },
    async (request) => {
      const membership = staffCourse(principalOf(request), request.params.course);
      const gradebook = await courseGradebook(services.db, membership.courseId);
      return {
        course: gradebook.course.slug,
        bestOf: gradebook.course.gradeBestOf,
        tasks: gradebook.tasks.map((task) => ({ slug: task.slug, title: task.title })),
        students: gradebook.students.map(({ userId: _userId, ...student }) => student),
      };
    },
  );

  typed.get(
    '/v1/courses/:course/gradebook.csv',
    {
      schema: {
        summary: 'Points per student and task from the baselines passed, and the course total, as CSV (TAs)',
        tags: ['courses'],
        params: CourseParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'RFC 4180 CSV with a header row' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const membership = staffCourse(principalOf(request), request.params.course);
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

  typed.get(
    '/v1/courses/:course/gradebook.canvas.csv',
    {
      schema: {
        summary: "The gradebook in Canvas's gradebook-import CSV layout (TAs)",
        description:
          "Columns Student, ID, SIS User ID, SIS Login ID, Section, then one column of points per task (named by the task title) and the mljudge total. Canvas matches a row by ID, SIS User ID or SIS Login ID; mljudge fills SIS Login ID with the student's email (use email logins in Canvas, or edit that column) and leaves the others empty. Columns Canvas does not know become new assignments on import.",
        tags: ['courses'],
        params: CourseParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'RFC 4180 CSV with a header row' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const membership = staffCourse(principalOf(request), request.params.course);
      const { tasks, students } = await courseGradebook(services.db, membership.courseId);
      const header = [
        'Student',
        'ID',
        'SIS User ID',
        'SIS Login ID',
        'Section',
        ...tasks.map((task) => `${task.title} (mljudge)`),
        'mljudge total',
      ];
      const rows = students.map((student) => [
        student.displayName,
        '',
        '',
        student.email,
        '',
        ...tasks.map((task) => student.tasks[task.slug]!.points),
        student.total,
      ]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.course}-canvas-gradebook.csv"`)
        .send(csvText(header, rows));
    },
  );

  typed.post(
    '/v1/courses/:course/webhooks',
    {
      schema: {
        summary: 'Register a webhook for finished submissions',
        description:
          'scope "own" (anyone): your own scored submissions; scope "course" (TAs, while they are TAs): every submission of the course. Each POST is signed: Mljudge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>. The secret is shown only in this response.',
        tags: ['webhooks'],
        params: CourseParams,
        body: WebhookBody,
        response: { 201: WebhookCreated, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = memberOf(principal, request.params.course);
      const scope = request.body.scope ?? 'own';
      if (scope === 'course' && !isStaff(principal, membership.courseId)) {
        throw forbidden('Only TAs can receive events of the whole course.');
      }
      try {
        const { webhook, secret } = await createWebhook(services.db, {
          ownerId: principal.userId,
          courseId: membership.courseId,
          scope: scope === 'course' ? 'COURSE' : 'OWN',
          url: checkedWebhookUrl(request.body.url),
          events: (request.body.events as WebhookEvent[] | undefined) ?? [...WEBHOOK_EVENTS],
        });
        return await reply.status(201).send({ ...webhookView(webhook, membership.courseSlug), secret });
      } catch (error) {
        if (error instanceof WebhookLimitError) throw new AppError('WEBHOOK_LIMIT', error.message);
        throw error;
      }
    },
  );
}

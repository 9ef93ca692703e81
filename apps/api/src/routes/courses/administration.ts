/**
 * Courses themselves: the courses I belong to, creating one (site admins; the creator becomes its
 * admin) and changing its title, time zone or best-of rule (course admins).
 */
import { CourseExistsError, createCourse, listCourses, setMembership, updateCourse } from '@mljudge/db';
import { isTimeZone } from '@mljudge/grading';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { memberOf } from '../../access.ts';
import { isCourseAdmin, principalOf } from '../../plugins/auth.ts';
import { AppError, forbidden } from '../../problems/app-error.ts';
import { CourseParams, errorResponses, Nullable, Slug, Text } from '../../schemas/common.ts';

const CourseView = Type.Object({
  slug: Slug,
  title: Type.String(),
  timeZone: Type.String({ description: 'IANA zone: quota days and deadlines are in its local time' }),
  gradeBestOf: Nullable(Type.Integer({ description: 'grades count the best N tasks; null counts all' })),
  role: Nullable(Type.Union([Type.Literal('student'), Type.Literal('ta'), Type.Literal('admin')])),
});

const CourseFields = {
  title: Text({ minLength: 1, maxLength: 200 }),
  timeZone: Type.String({ maxLength: 64, description: 'IANA zone, e.g. Asia/Taipei' }),
  gradeBestOf: Nullable(Type.Integer({ minimum: 1, maximum: 100 })),
};

const NewCourseBody = Type.Object({
  slug: Slug,
  title: CourseFields.title,
  timeZone: CourseFields.timeZone,
  gradeBestOf: Type.Optional(CourseFields.gradeBestOf),
});

const CourseChange = Type.Partial(Type.Object(CourseFields), { minProperties: 1 });

function checkedTimeZone(timeZone: string | undefined): void {
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    throw new AppError(
      'COURSE_INVALID',
      `"${timeZone}" is not an IANA time zone; use a name such as Asia/Taipei or Europe/Berlin.`,
      { field: 'timeZone' },
    );
  }
}

const roleView = (role: string | undefined) => (role ? (role.toLowerCase() as 'student' | 'ta' | 'admin') : null);

export default async function courseAdministrationRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.get(
    '/v1/courses',
    {
      schema: {
        summary: 'The courses I belong to (site admins: every course)',
        tags: ['courses'],
        response: { 200: Type.Object({ courses: Type.Array(CourseView) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const all = await listCourses(services.db);
      const roles = new Map(principal.memberships.map((m) => [m.courseId, m.role]));
      return {
        courses: all
          .filter((course) => principal.siteAdmin || roles.has(course.id))
          .map((course) => ({
            slug: course.slug,
            title: course.title,
            timeZone: course.timeZone,
            gradeBestOf: course.gradeBestOf,
            role: roleView(roles.get(course.id)),
          })),
      };
    },
  );

  typed.post(
    '/v1/courses',
    {
      schema: {
        summary: 'Create a course (site admins); you become its admin',
        tags: ['courses'],
        body: NewCourseBody,
        response: { 201: CourseView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!principal.siteAdmin) throw forbidden('Only site admins create courses.');
      checkedTimeZone(request.body.timeZone);
      let course;
      try {
        course = await createCourse(
          services.db,
          {
            slug: request.body.slug,
            title: request.body.title,
            timeZone: request.body.timeZone,
            gradeBestOf: request.body.gradeBestOf ?? null,
          },
          null,
        );
      } catch (error) {
        if (error instanceof CourseExistsError) throw new AppError('COURSE_EXISTS', error.message);
        throw error;
      }
      await setMembership(services.db, course.id, principal.userId, 'ADMIN');
      return reply.status(201).send({ ...course, role: 'admin' as const });
    },
  );

  typed.patch(
    '/v1/courses/:course',
    {
      schema: {
        summary: "Change a course's title, time zone or best-of rule (course admins)",
        tags: ['courses'],
        params: CourseParams,
        body: CourseChange,
        response: { 200: CourseView, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const membership = memberOf(principal, request.params.course);
      if (!isCourseAdmin(principal, membership.courseId)) throw forbidden('Only course admins change the course.');
      checkedTimeZone(request.body.timeZone);
      const course = await updateCourse(services.db, membership.courseId, request.body, principal.userId);
      return { ...course, role: roleView(membership.role) };
    },
  );
}

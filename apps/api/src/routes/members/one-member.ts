/**
 * One member of a course, by email: change their role (course admins), remove them (TAs remove
 * students, admins anyone), reset their password (TAs for students, admins for staff; a site admin's
 * only by a site admin). A course always keeps an admin. Every change is audited.
 */
import {
  changeMemberRole,
  courseMembers,
  findCourseMember,
  removeMember,
  resetPassword,
  type CourseMember,
} from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { staffCourse } from '../../access.ts';
import { isCourseAdmin, principalOf, type Principal } from '../../plugins/auth.ts';
import { AppError, forbidden } from '../../problems/app-error.ts';
import type { Services } from '../../services.ts';
import { errorResponses, Slug } from '../../schemas/common.ts';

const MemberParams = Type.Object({ course: Slug, email: Type.String({ minLength: 3, maxLength: 320 }) });
const RoleName = Type.Union([Type.Literal('student'), Type.Literal('ta'), Type.Literal('admin')]);
const roleOf = { student: 'STUDENT', ta: 'TA', admin: 'ADMIN' } as const;

async function memberOrThrow(services: Services, courseId: string, email: string): Promise<CourseMember> {
  const member = await findCourseMember(services.db, courseId, email);
  if (!member) throw new AppError('MEMBER_NOT_FOUND', `No member of this course has the email ${email}.`);
  return member;
}

/** Refuses a change that would leave the course without an admin. */
async function keepAnAdmin(services: Services, courseId: string, member: CourseMember): Promise<void> {
  if (member.role !== 'ADMIN') return;
  const admins = (await courseMembers(services.db, courseId)).filter((m) => m.role === 'ADMIN');
  if (admins.length <= 1)
    throw new AppError('LAST_ADMIN', `${member.email} is the course's only admin; make someone else admin first.`);
}

function mayManage(principal: Principal, courseId: string, member: CourseMember): boolean {
  return member.role === 'STUDENT' || isCourseAdmin(principal, courseId);
}

export default async function oneMemberRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  typed.put(
    '/v1/courses/:course/members/:email/role',
    {
      schema: {
        summary: "Change a member's role (course admins)",
        tags: ['members'],
        params: MemberParams,
        body: Type.Object({ role: RoleName }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      if (!isCourseAdmin(principal, membership.courseId)) throw forbidden('Only course admins change roles.');
      const member = await memberOrThrow(services, membership.courseId, request.params.email);
      if (request.body.role !== 'admin') await keepAnAdmin(services, membership.courseId, member);
      await changeMemberRole(
        services.db,
        membership.courseId,
        member.userId,
        roleOf[request.body.role],
        principal.userId,
      );
      return reply.status(204).send(null);
    },
  );

  typed.delete(
    '/v1/courses/:course/members/:email',
    {
      schema: {
        summary: 'Remove a member (TAs: students; admins: anyone)',
        description:
          'For a student who drops the course: their submissions and scores stay for the record, but they leave the boards and the gradebook and can no longer see the course. Adding them back restores their place on the boards.',
        tags: ['members'],
        params: MemberParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const member = await memberOrThrow(services, membership.courseId, request.params.email);
      if (!mayManage(principal, membership.courseId, member)) throw forbidden('Only course admins remove staff.');
      await keepAnAdmin(services, membership.courseId, member);
      await removeMember(services.db, membership.courseId, member.userId, principal.userId);
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/v1/courses/:course/members/:email/password-reset',
    {
      schema: {
        summary: "Reset a member's password (TAs: students; admins: staff)",
        description:
          'Sets a new generated password, returned here once, and signs the account out everywhere (web sessions and API tokens). Hand the password over as you would a roster password.',
        tags: ['members'],
        params: MemberParams,
        response: { 200: Type.Object({ email: Type.String(), password: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const member = await memberOrThrow(services, membership.courseId, request.params.email);
      if (!mayManage(principal, membership.courseId, member))
        throw forbidden("Only course admins reset a TA's or an admin's password.");
      if (member.siteAdmin && !principal.siteAdmin)
        throw forbidden("Only a site admin resets a site admin's password.");
      const password = await resetPassword(services.db, member.userId, {
        courseId: membership.courseId,
        actorId: principal.userId,
        now: services.now(),
      });
      return { email: member.email, password };
    },
  );
}

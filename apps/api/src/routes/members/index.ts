/**
 * The members resource (TAs): the roster, and adding people one by one or from a roster CSV. New
 * accounts get a generated password, returned once in the answer so the TA can hand it over; existing
 * accounts are added as they are. Staff roles are given and changed by admins only.
 */
import { courseMembers, importRoster, MIN_PASSWORD_LENGTH, RosterPermissionError } from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { staffCourse } from '../../access.ts';
import { isCourseAdmin, principalOf } from '../../plugins/auth.ts';
import { forbidden } from '../../problems/app-error.ts';
import { CourseParams, DateTime, errorResponses, Nullable } from '../../schemas/common.ts';
import oneMemberRoutes from './one-member.ts';
import { checkMembers, MAX_ROSTER_ROWS, parseRoster } from './roster.ts';

const RoleName = Type.Union([Type.Literal('student'), Type.Literal('ta'), Type.Literal('admin')]);
const roleName = (role: string) => role.toLowerCase() as 'student' | 'ta' | 'admin';

const RosterBody = Type.Union([
  Type.String({ description: 'roster CSV' }),
  Type.Object({
    members: Type.Array(
      Type.Object({
        email: Type.String({ maxLength: 320 }),
        name: Type.String({ minLength: 1, maxLength: 120 }),
        role: Type.Optional(RoleName),
        password: Type.Optional(
          Type.String({
            maxLength: 1024,
            description: `at least ${MIN_PASSWORD_LENGTH} characters; omit it to generate one`,
          }),
        ),
      }),
      { minItems: 1, maxItems: MAX_ROSTER_ROWS },
    ),
  }),
]);

const RosterResult = Type.Object({
  created: Type.Integer({ description: 'accounts this import created' }),
  added: Type.Integer({ description: 'existing accounts added to the course' }),
  updated: Type.Integer({ description: 'members whose role changed' }),
  members: Type.Array(
    Type.Object({
      email: Type.String(),
      displayName: Type.String(),
      role: RoleName,
      change: Type.Union([
        Type.Literal('created'),
        Type.Literal('added'),
        Type.Literal('role-changed'),
        Type.Literal('unchanged'),
      ]),
      initialPassword: Nullable(Type.String()),
      note: Nullable(Type.String({ description: 'why something the roster asked for was not done' })),
    }),
  ),
});

export default async function memberRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  await app.register(oneMemberRoutes);

  // A roster arrives as CSV text (a spreadsheet export); 2 MB is ample for thousands of students.
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );

  typed.get(
    '/v1/courses/:course/members',
    {
      schema: {
        summary: 'The course roster (TAs)',
        tags: ['members'],
        params: CourseParams,
        response: {
          200: Type.Object({
            members: Type.Array(
              Type.Object({
                email: Type.String(),
                displayName: Type.String(),
                role: RoleName,
                hasPassword: Type.Boolean(),
                joinedAt: DateTime,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const membership = staffCourse(principalOf(request), request.params.course);
      const members = await courseMembers(services.db, membership.courseId);
      return {
        members: members.map((m) => ({
          email: m.email,
          displayName: m.displayName,
          role: roleName(m.role),
          hasPassword: m.hasPassword,
          joinedAt: m.joinedAt.toISOString(),
        })),
      };
    },
  );

  typed.post(
    '/v1/courses/:course/members',
    {
      schema: {
        summary: 'Add members (TAs): JSON, or a roster CSV with email,name[,role][,password]',
        description:
          'Send `text/csv` with a header row, or JSON `{ "members": [...] }`. People who have an account already are added as they are (their name and password stay theirs); new accounts get the given password or a generated one, returned here once. Only admins give or change staff roles. The whole roster is checked before anyone is added.',
        tags: ['members'],
        params: CourseParams,
        body: RosterBody,
        response: { 200: RosterResult, ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const entries = typeof request.body === 'string' ? parseRoster(request.body) : checkMembers(request.body.members);
      let outcomes;
      try {
        outcomes = await importRoster(services.db, {
          courseId: membership.courseId,
          actorId: principal.userId,
          actorIsAdmin: isCourseAdmin(principal, membership.courseId),
          entries,
        });
      } catch (error) {
        if (error instanceof RosterPermissionError) throw forbidden(error.message);
        throw error;
      }
      const count = (change: string) => outcomes.filter((o) => o.change === change).length;
      return {
        created: count('created'),
        added: count('added'),
        updated: count('role-changed'),
        members: outcomes.map((o) => ({
          email: o.email,
          displayName: o.displayName,
          role: roleName(o.role),
          change: o.change,
          initialPassword: o.initialPassword,
          note: o.keptAccount
            ? 'has an account already: its name and password were kept (reset the password from the members page)'
            : null,
        })),
      };
    },
  );
}

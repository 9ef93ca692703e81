/**
 * Course members (TAs): the roster, and adding students one by one or from a roster CSV. New accounts
 * get a generated password, returned once in the answer so the TA can hand it over.
 */
import { courseMembers, importRoster, MIN_PASSWORD_LENGTH } from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { principalOf } from '../plugins/auth.ts';
import { forbidden } from '../problem.ts';
import { staffCourse } from '../task-access.ts';
import { checkMembers, parseRoster, MAX_ROSTER_ROWS } from '../roster.ts';
import { DateTime, Nullable, errorResponses } from '../schemas/common.ts';

const RoleName = Type.Union([Type.Literal('student'), Type.Literal('ta'), Type.Literal('admin')]);

export default async function memberRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;

  // A roster arrives as CSV text (a spreadsheet export); 2 MB is ample for thousands of students.
  app.addContentTypeParser(
    ['text/csv', 'text/plain'],
    { parseAs: 'string', bodyLimit: 2 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );

  typed.get(
    '/v1/courses/:course/members',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'The course roster (TAs)',
        tags: ['members'],
        params: Type.Object({ course: Type.String() }),
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
          ...m,
          role: m.role.toLowerCase() as 'student' | 'ta' | 'admin',
          joinedAt: m.joinedAt.toISOString(),
        })),
      };
    },
  );

  typed.post(
    '/v1/courses/:course/members',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Add or update members (TAs): JSON, or a roster CSV with email,name[,role][,password]',
        description:
          'Send `text/csv` with a header row, or JSON `{ "members": [...] }`. Existing accounts keep their password; new ones without a password get a generated one, returned here once. The whole roster is checked before anyone is added.',
        tags: ['members'],
        params: Type.Object({ course: Type.String() }),
        body: Type.Union([
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
        ]),
        response: {
          200: Type.Object({
            created: Type.Integer(),
            updated: Type.Integer(),
            members: Type.Array(
              Type.Object({
                email: Type.String(),
                displayName: Type.String(),
                role: RoleName,
                created: Type.Boolean(),
                initialPassword: Nullable(Type.String()),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const membership = staffCourse(principal, request.params.course);
      const entries = typeof request.body === 'string' ? parseRoster(request.body) : checkMembers(request.body.members);
      // Only admins may make admins; a TA adding a TA is how a course gets its staff.
      const actorIsAdmin = principal.memberships.some((m) => m.courseId === membership.courseId && m.role === 'ADMIN');
      if (!actorIsAdmin && entries.some((entry) => entry.role === 'ADMIN'))
        throw forbidden('Only admins can add admins.');
      const outcomes = await importRoster(services.db, membership.courseId, entries);
      await services.db.auditEvent.create({
        data: {
          courseId: membership.courseId,
          actorId: principal.userId,
          action: 'roster.import',
          details: { people: outcomes.length, created: outcomes.filter((o) => o.created).length },
        },
      });
      return {
        created: outcomes.filter((o) => o.created).length,
        updated: outcomes.filter((o) => !o.created).length,
        members: outcomes.map((o) => ({
          email: o.email,
          displayName: o.displayName,
          role: o.role.toLowerCase() as 'student' | 'ta' | 'admin',
          created: o.created,
          initialPassword: o.initialPassword,
        })),
      };
    },
  );
}

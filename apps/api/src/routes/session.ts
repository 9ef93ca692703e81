/**
 * Web sign-in and the user's own credentials: sessions (an HttpOnly cookie), API tokens and the
 * password. A session is an ApiToken of kind SESSION, so one lookup serves both ways of signing in.
 */
import {
  changePassword,
  checkPassword,
  createApiToken,
  listApiTokens,
  MIN_PASSWORD_LENGTH,
  revokeApiToken,
  verifyPassword,
} from '@mljudge/db';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { principalOf, SESSION_COOKIE } from '../plugins/auth.ts';
import { rateLimitHeaders, type RateLimitState } from '../rate-limit.ts';
import { AppError, notFound } from '../problem.ts';
import { DateTime, Nullable, Uuid, errorResponses } from '../schemas/common.ts';
import { Me, meView } from '../schemas/account.ts';

const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'the first characters of the token, to tell tokens apart' }),
  createdAt: DateTime,
  expiresAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
});

function tokenView(token: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

export default async function sessionRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const { sessionHours, secureCookies } = services.config.api;

  function secure(request: FastifyRequest): boolean {
    return secureCookies === 'always' || (secureCookies === 'auto' && request.protocol === 'https');
  }

  function clearSession(request: FastifyRequest, reply: FastifyReply) {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(request) });
  }

  typed.post(
    '/v1/sessions',
    {
      schema: {
        summary: 'Sign in with email and password (the web app); sets an HttpOnly session cookie',
        description: `Scripts should use API tokens instead. Failed attempts are limited per email (${services.config.api.loginAttemptsPerMinute} a minute).`,
        tags: ['account'],
        security: [],
        body: Type.Object({
          email: Type.String({ minLength: 3, maxLength: 320 }),
          password: Type.String({ minLength: 1, maxLength: 1024 }),
        }),
        response: { 201: Type.Object({ user: Me, expiresAt: DateTime }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const email = request.body.email.trim().toLowerCase();
      // Failures are counted per email; past the limit even the right password waits, or guessing would
      // go on and only the answers would change.
      const tooMany = (limit: RateLimitState | null | undefined) => {
        if (limit && !limit.allowed) {
          throw new AppError(
            429,
            'LOGIN_RATE_LIMITED',
            `Too many failed sign-ins for this email; retry in ${limit.resetSeconds} s.`,
            {},
            { ...rateLimitHeaders(limit), 'retry-after': String(limit.resetSeconds) },
          );
        }
      };
      tooMany(await services.loginLimiter?.peek(email, services.now()));
      const user = await checkPassword(services.db, email, request.body.password);
      if (!user) {
        await services.loginLimiter?.hit(email, services.now());
        throw new AppError(401, 'LOGIN_FAILED', 'The email or the password is wrong.');
      }
      const expiresAt = new Date(services.now().getTime() + sessionHours * 3600_000);
      const { token } = await createApiToken(
        services.db,
        user.id,
        `web sign-in (${String(request.headers['user-agent'] ?? 'unknown browser').slice(0, 80)})`,
        { kind: 'SESSION', expiresAt },
      );
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secure(request),
        expires: expiresAt,
      });
      const memberships = await services.db.membership.findMany({
        where: { userId: user.id },
        include: { course: true },
      });
      const me = meView({
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        memberships: memberships.map((m) => ({
          courseSlug: m.course.slug,
          role: m.role,
          timeZone: m.course.timeZone,
          title: m.course.title,
        })),
      });
      return reply.status(201).send({ user: me, expiresAt: expiresAt.toISOString() });
    },
  );

  typed.delete(
    '/v1/sessions/current',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Sign out (ends the web session)',
        tags: ['account'],
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via === 'session')
        await revokeApiToken(services.db, principal.tokenId, principal.userId, services.now());
      clearSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/v1/me/tokens',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Your API tokens (never the secrets)',
        tags: ['account'],
        response: { 200: Type.Object({ tokens: Type.Array(TokenView) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return { tokens: (await listApiTokens(services.db, principal.userId, services.now())).map(tokenView) };
    },
  );

  typed.post(
    '/v1/me/tokens',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Create an API token; its secret is in this answer only',
        tags: ['account'],
        body: Type.Object({
          name: Type.String({ minLength: 1, maxLength: 80 }),
          expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
        }),
        response: { 201: Type.Object({ token: Type.String(), info: TokenView }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const days = request.body.expiresInDays;
      const { token, record } = await createApiToken(
        services.db,
        principal.userId,
        request.body.name.trim(),
        days ? { expiresAt: new Date(services.now().getTime() + days * 86_400_000) } : {},
      );
      return reply.status(201).send({ token, info: tokenView(record) });
    },
  );

  typed.delete(
    '/v1/me/tokens/:id',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Revoke one of your API tokens',
        tags: ['account'],
        params: Type.Object({ id: Uuid }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const token = await services.db.apiToken.findUnique({ where: { id: request.params.id } });
      if (
        !token ||
        token.userId !== principal.userId ||
        token.kind !== 'API' ||
        !(await revokeApiToken(services.db, token.id, principal.userId, services.now()))
      )
        throw notFound('Token');
      return reply.status(204).send(null);
    },
  );

  typed.put(
    '/v1/me/password',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Change your password (signs out your other web sessions)',
        tags: ['account'],
        body: Type.Object({
          currentPassword: Type.String({ maxLength: 1024 }),
          newPassword: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 1024 }),
        }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const user = await services.db.user.findUniqueOrThrow({ where: { id: principal.userId } });
      if (user.passwordHash && !(await verifyPassword(request.body.currentPassword, user.passwordHash))) {
        throw new AppError(403, 'PASSWORD_WRONG', 'The current password is wrong.');
      }
      await changePassword(
        services.db,
        principal.userId,
        request.body.newPassword,
        principal.via === 'session' ? principal.tokenId : null,
        services.now(),
      );
      return reply.status(204).send(null);
    },
  );
}

/**
 * The account resource: who I am, web sign-in (an HttpOnly session cookie), my API tokens, my
 * password, and my webhooks. A session is an ApiToken of kind SESSION, so one lookup serves both ways
 * of signing in.
 */
import {
  changePassword,
  checkPassword,
  createApiToken,
  disableWebhook,
  emailProblem,
  findOwnWebhook,
  hasPassword,
  listApiTokens,
  listDeliveries,
  listWebhooks,
  membershipsOf,
  normalizeEmail,
  passwordMatches,
  passwordProblem,
  revokeApiToken,
  revokeToken,
  TokenLimitError,
} from '@mljudge/db';
import { rateLimitHeaders, type RateLimiter, type RateLimitState } from '@mljudge/queue';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { principalOf, SESSION_COOKIE } from '../../plugins/auth.ts';
import { AppError, notFound } from '../../problems/app-error.ts';
import { errorResponses, IdParams } from '../../schemas/common.ts';
import { webhookView } from '../courses/webhook-view.ts';
import { WebhookView } from '../courses/schemas.ts';
import { oidcRoutes } from './oidc.ts';
import { Delivery, Me, meView, PasswordChange, SignIn, TokenBody, TokenView, tokenView } from './schemas.ts';
import { secureCookie, startWebSession } from './web-session.ts';

function tooMany(
  limit: RateLimitState | null | undefined,
  code: 'LOGIN_RATE_LIMITED' | 'PASSWORD_RATE_LIMITED',
  what: string,
) {
  if (limit && !limit.allowed) {
    throw new AppError(
      code,
      `${what}; retry in ${limit.resetSeconds} s.`,
      {},
      {
        ...rateLimitHeaders(limit),
        'retry-after': String(limit.resetSeconds),
      },
    );
  }
}

export default async function accountRoutes(app: FastifyInstance) {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const { services } = app;
  const limiters = services.limiters ?? {};
  await app.register(oidcRoutes);

  const clearSession = (request: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie(services, request),
    });

  typed.get(
    '/v1/me',
    {
      schema: {
        summary: 'Who is signed in (token or session), with their courses and roles',
        tags: ['account'],
        response: { 200: Me, ...errorResponses },
      },
    },
    async (request) => meView(principalOf(request)),
  );

  typed.post(
    '/v1/sessions',
    {
      config: { public: true },
      schema: {
        summary: 'Sign in with email and password (the web app); sets an HttpOnly session cookie',
        description: `Scripts should use API tokens instead. Attempts are limited per client address (${services.config.api.signInAttemptsPerClient} a minute), and failures per email from one address (${services.config.api.loginAttemptsPerMinute} a minute), so nobody can lock someone else out from elsewhere.`,
        tags: ['account'],
        security: [],
        body: SignIn,
        response: {
          201: Type.Object({ user: Me, expiresAt: Type.String({ format: 'date-time' }) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const now = services.now();
      const email = normalizeEmail(request.body.email);
      const client = request.ip;
      tooMany(
        await limiters.signInPerClient?.hit(client, now),
        'LOGIN_RATE_LIMITED',
        'Too many sign-in attempts from your address',
      );
      // Counted before the check, so parallel guesses cannot slip past the limit; refunded on success.
      const perAccount: Array<[RateLimiter | undefined, string]> = [
        [limiters.signInPerAccount, `${email}|${client}`],
        [limiters.signInPerEmail, email],
      ];
      for (const [limiter, key] of perAccount) {
        tooMany(await limiter?.hit(key, now), 'LOGIN_RATE_LIMITED', 'Too many failed sign-ins for this email');
      }
      const user = emailProblem(email) ? null : await checkPassword(services.db, email, request.body.password);
      if (!user) throw new AppError('LOGIN_FAILED', 'The email or the password is wrong.');
      for (const [limiter, key] of perAccount) await limiter?.refund(key, now);
      const expiresAt = await startWebSession(services, request, reply, user.id, 'password');
      const memberships = await membershipsOf(services.db, user.id);
      return reply.status(201).send({
        user: meView({
          userId: user.id,
          email: user.email,
          displayName: user.displayName,
          siteAdmin: user.siteAdmin,
          memberships,
        }),
        expiresAt: expiresAt.toISOString(),
      });
    },
  );

  typed.delete(
    '/v1/sessions/current',
    {
      schema: {
        summary: 'Sign out (ends the web session)',
        tags: ['account'],
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.via === 'session')
        await revokeToken(services.db, principal.tokenId, principal.userId, services.now());
      clearSession(request, reply);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/v1/me/tokens',
    {
      schema: {
        summary: 'Your API tokens (never the secrets), with when each was last used',
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
      schema: {
        summary: 'Create an API token; its secret is in this answer only',
        tags: ['account'],
        body: TokenBody,
        response: { 201: Type.Object({ token: Type.String(), info: TokenView }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const now = services.now();
      const days = request.body.expiresInDays;
      try {
        const { token, record } = await createApiToken(services.db, principal.userId, request.body.name.trim(), {
          now,
          ...(days ? { expiresAt: new Date(now.getTime() + days * 86_400_000) } : {}),
        });
        return await reply.status(201).send({ token, info: tokenView(record) });
      } catch (error) {
        if (error instanceof TokenLimitError) throw new AppError('TOKEN_LIMIT', error.message);
        throw error;
      }
    },
  );

  typed.delete(
    '/v1/me/tokens/:id',
    {
      schema: {
        summary: 'Revoke one of your API tokens',
        tags: ['account'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await revokeApiToken(services.db, request.params.id, principal.userId, services.now())))
        throw notFound('Token');
      return reply.status(204).send(null);
    },
  );

  typed.put(
    '/v1/me/password',
    {
      schema: {
        summary: 'Change your password (ends your other web sessions and your API tokens)',
        description:
          'Whoever knew the old password may have made sessions or tokens with it: all of them end, except the credential sending this request.',
        tags: ['account'],
        body: PasswordChange,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const now = services.now();
      const problem = passwordProblem(request.body.newPassword);
      if (problem) throw new AppError('PASSWORD_WEAK', `The new password ${problem}.`);
      if (await hasPassword(services.db, principal.userId)) {
        tooMany(
          await limiters.passwordChecks?.hit(principal.userId, now),
          'PASSWORD_RATE_LIMITED',
          'Too many wrong current passwords',
        );
        if (!(await passwordMatches(services.db, principal.userId, request.body.currentPassword))) {
          throw new AppError('PASSWORD_WRONG', 'The current password is wrong.');
        }
        await limiters.passwordChecks?.refund(principal.userId, now);
      }
      await changePassword(services.db, principal.userId, request.body.newPassword, principal.tokenId, now);
      return reply.status(204).send(null);
    },
  );

  typed.get(
    '/v1/webhooks',
    {
      schema: {
        summary: 'Your webhooks',
        tags: ['webhooks'],
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookView) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const slugOf = new Map(principal.memberships.map((m) => [m.courseId, m.courseSlug]));
      const webhooks = await listWebhooks(services.db, principal.userId);
      return { webhooks: webhooks.map((webhook) => webhookView(webhook, slugOf.get(webhook.courseId) ?? '')) };
    },
  );

  typed.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        summary: 'Delivery log of one of your webhooks, newest first',
        tags: ['webhooks'],
        params: IdParams,
        response: { 200: Type.Object({ deliveries: Type.Array(Delivery) }), ...errorResponses },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const webhook = await findOwnWebhook(services.db, request.params.id, principal.userId);
      if (!webhook) throw notFound('Webhook');
      const deliveries = await listDeliveries(services.db, webhook.id);
      return {
        deliveries: deliveries.map((d) => ({
          id: d.id,
          submissionId: d.submissionId,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.lastStatusCode,
          lastError: d.lastError,
          createdAt: d.createdAt.toISOString(),
          deliveredAt: d.deliveredAt?.toISOString() ?? null,
        })),
      };
    },
  );

  typed.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        summary: 'Disable one of your webhooks',
        tags: ['webhooks'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await disableWebhook(services.db, request.params.id, principal.userId, services.now())))
        throw notFound('Webhook');
      return reply.status(204).send(null);
    },
  );
}

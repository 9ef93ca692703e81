/**
 * Authentication as one hook for every /v1 route: an API token as a Bearer header (scripts, CI) or
 * the web app's session cookie, resolved to a user and their course memberships in one query. It runs
 * on request, before any body is read, so a refused upload costs nothing. A route opts out with
 * `config: { public: true }` (sign-in, health, docs).
 *
 * The cookie is HttpOnly and SameSite=Strict, and a request that changes something with it must also
 * carry the `X-Requested-With` header: a cross-site form cannot set it, and a cross-site script cannot
 * send it without a CORS preflight, which this server never grants. Bearer requests need neither.
 */
import { authenticateToken, type CourseMembership } from '@mljudge/db';
import { rateLimitHeaders, type RateLimitState } from '@mljudge/queue';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../problems/app-error.ts';

export interface Principal {
  readonly userId: string;
  readonly tokenId: string;
  /** How the request was authenticated: an API token, or the web app's session cookie. */
  readonly via: 'token' | 'session';
  readonly email: string;
  readonly displayName: string;
  /** Runs this mljudge site (creates courses). */
  readonly siteAdmin: boolean;
  readonly memberships: readonly CourseMembership[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    rateLimit: RateLimitState | null;
  }
  interface FastifyContextConfig {
    /** Served without signing in. */
    public?: boolean;
  }
}

/** The signed-in principal (every non-public route has one). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError('UNAUTHENTICATED', 'Send an API token as "Authorization: Bearer <token>".');
  return request.principal;
}

/** True when the principal is a TA or admin of the course. */
export function isStaff(principal: Principal, courseId: string): boolean {
  return principal.memberships.some((m) => m.courseId === courseId && (m.role === 'TA' || m.role === 'ADMIN'));
}

/** True when the principal is an admin of the course (or runs the site). */
export function isCourseAdmin(principal: Principal, courseId: string): boolean {
  return principal.siteAdmin || principal.memberships.some((m) => m.courseId === courseId && m.role === 'ADMIN');
}

/** The web app's session cookie. */
export const SESSION_COOKIE = 'mljudge_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^Bearer\s+(\S+)$/i;

async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  const { services } = app;
  const header = request.headers.authorization;
  const bearer = header ? BEARER.exec(header)?.[1] : undefined;
  const session = bearer ? undefined : request.cookies[SESSION_COOKIE];
  if (!bearer && !session) {
    throw new AppError(
      'UNAUTHENTICATED',
      'Send an API token as "Authorization: Bearer <token>", or sign in.',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }
  const now = services.now();
  const owner = await authenticateToken(services.db, (bearer ?? session)!, now);
  if (!owner || (session !== undefined && owner.kind !== 'SESSION')) {
    if (session !== undefined) throw new AppError('SESSION_EXPIRED', 'Your session has ended; sign in again.');
    throw new AppError(
      'TOKEN_INVALID',
      'The token is unknown, revoked or expired. Create a new one.',
      {},
      {
        'www-authenticate': 'Bearer error="invalid_token"',
      },
    );
  }
  if (session !== undefined && !SAFE_METHODS.has(request.method) && request.headers['x-requested-with'] === undefined) {
    throw new AppError(
      'CSRF_HEADER_MISSING',
      'Requests that change something with the session cookie must send the "X-Requested-With" header.',
    );
  }
  // Per user, not per token: a user can make tokens, not more requests.
  const limit = await services.limiters?.requests?.hit(owner.userId, now);
  if (limit) {
    request.rateLimit = limit;
    if (!limit.allowed) {
      throw new AppError(
        'RATE_LIMITED',
        `You made more than ${limit.limit} requests in the last minute; retry in ${limit.resetSeconds} s.`,
        {},
        { ...rateLimitHeaders(limit), 'retry-after': String(limit.resetSeconds) },
      );
    }
  }
  request.principal = {
    userId: owner.userId,
    tokenId: owner.tokenId,
    via: session === undefined ? 'token' : 'session',
    email: owner.email,
    displayName: owner.displayName,
    siteAdmin: owner.siteAdmin,
    memberships: owner.memberships,
  };
}

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null);
    app.decorateRequest('rateLimit', null);
    app.addHook('onRequest', async (request) => {
      // No route matched: the not-found handler answers, signed in or not.
      if (request.is404 || request.routeOptions.config.public || !request.url.startsWith('/v1/')) return;
      await authenticate(app, request);
    });
    app.addHook('onSend', async (request, reply) => {
      if (request.rateLimit) reply.headers(rateLimitHeaders(request.rateLimit));
    });
  },
  { name: 'auth', dependencies: ['services', '@fastify/cookie'] },
);

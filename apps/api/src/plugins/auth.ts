/**
 * Authentication: an API token as a Bearer header (scripts, CI) or the web app's session cookie.
 * Resolves it to a user and their course memberships once per request; routes call `principalOf`.
 *
 * The cookie is HttpOnly and SameSite=Strict, and a request that changes something with it must also
 * carry the `X-Requested-With` header: a cross-site form cannot set it, and a cross-site script cannot
 * send it without a CORS preflight, which this server never grants. Bearer requests need neither.
 */
import { findTokenOwner, type Role } from '@mljudge/db';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../problem.ts';
import { rateLimitHeaders, type RateLimitState } from '../rate-limit.ts';

export interface CourseMembership {
  readonly courseId: string;
  readonly courseSlug: string;
  readonly title: string;
  readonly timeZone: string;
  readonly role: Role;
}

export interface Principal {
  readonly userId: string;
  readonly tokenId: string;
  /** How the request was authenticated: an API token, or the web app's session cookie. */
  readonly via: 'token' | 'session';
  readonly email: string;
  readonly displayName: string;
  readonly memberships: readonly CourseMembership[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    rateLimit: RateLimitState | null;
  }
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
}

/** The signed-in principal, or a 401 problem. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal)
    throw new AppError(401, 'UNAUTHENTICATED', 'Send an API token as "Authorization: Bearer <token>".');
  return request.principal;
}

/** True when the principal is a TA or admin of the course. */
export function isStaff(principal: Principal, courseId: string): boolean {
  return principal.memberships.some((m) => m.courseId === courseId && (m.role === 'TA' || m.role === 'ADMIN'));
}

/** The web app's session cookie. */
export const SESSION_COOKIE = 'mljudge_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null);
    app.decorateRequest('rateLimit', null);
    app.addHook('onSend', async (request, reply) => {
      if (request.rateLimit) reply.headers(rateLimitHeaders(request.rateLimit));
    });
    app.decorate('authenticate', async (request: FastifyRequest) => {
      const header = request.headers.authorization;
      const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
      const session = match ? undefined : request.cookies[SESSION_COOKIE];
      if (!match && !session) {
        throw new AppError(
          401,
          'UNAUTHENTICATED',
          'Send an API token as "Authorization: Bearer <token>", or sign in.',
          {},
          { 'www-authenticate': 'Bearer' },
        );
      }
      const owner = await findTokenOwner(app.services.db, match ? match[1]! : session!, app.services.now());
      if (!owner || (session !== undefined && owner.kind !== 'SESSION')) {
        if (session !== undefined) throw new AppError(401, 'SESSION_EXPIRED', 'Your session has ended; sign in again.');
        throw new AppError(
          401,
          'TOKEN_INVALID',
          'The token is unknown, revoked or expired. Create a new one.',
          {},
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
      }
      if (
        session !== undefined &&
        !SAFE_METHODS.has(request.method) &&
        request.headers['x-requested-with'] === undefined
      ) {
        throw new AppError(
          403,
          'CSRF_HEADER_MISSING',
          'Requests that change something with the session cookie must send the "X-Requested-With" header.',
        );
      }
      const limits = await app.services.rateLimiter?.hit(owner.id, app.services.now());
      if (limits) {
        request.rateLimit = limits;
        if (!limits.allowed) {
          throw new AppError(
            429,
            'RATE_LIMITED',
            `This token made more than ${limits.limit} requests this minute; retry in ${limits.resetSeconds} s.`,
            {},
            { ...rateLimitHeaders(limits), 'retry-after': String(limits.resetSeconds) },
          );
        }
      }
      request.principal = {
        userId: owner.user.id,
        tokenId: owner.id,
        via: session === undefined ? 'token' : 'session',
        email: owner.user.email,
        displayName: owner.user.displayName,
        memberships: owner.user.memberships.map((m) => ({
          courseId: m.courseId,
          courseSlug: m.course.slug,
          title: m.course.title,
          timeZone: m.course.timeZone,
          role: m.role,
        })),
      };
    });
  },
  { name: 'auth', dependencies: ['services', '@fastify/cookie'] },
);

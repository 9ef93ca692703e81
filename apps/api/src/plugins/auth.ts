/**
 * Bearer-token authentication. Resolves the token to a user and their course memberships once per
 * request; routes call `request.principal` (set by the `authenticate` preHandler).
 */
import { findTokenOwner, type Role } from '@mljudge/db';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../problem.ts';
import { rateLimitHeaders, type RateLimitState } from '../rate-limit.ts';

export interface CourseMembership {
  readonly courseId: string;
  readonly courseSlug: string;
  readonly timeZone: string;
  readonly role: Role;
}

export interface Principal {
  readonly userId: string;
  readonly tokenId: string;
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
  if (!request.principal) throw new AppError(401, 'UNAUTHENTICATED', 'Send an API token as "Authorization: Bearer <token>".');
  return request.principal;
}

/** True when the principal is a TA or admin of the course. */
export function isStaff(principal: Principal, courseId: string): boolean {
  return principal.memberships.some((m) => m.courseId === courseId && (m.role === 'TA' || m.role === 'ADMIN'));
}

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
      if (!match) {
        throw new AppError(401, 'UNAUTHENTICATED', 'Send an API token as "Authorization: Bearer <token>".', {}, { 'www-authenticate': 'Bearer' });
      }
      const owner = await findTokenOwner(app.services.db, match[1]!, app.services.now());
      if (!owner) throw new AppError(401, 'TOKEN_INVALID', 'The token is unknown, revoked or expired. Create a new one.', {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
      const limits = await app.services.rateLimiter?.hit(owner.id, app.services.now());
      if (limits) {
        request.rateLimit = limits;
        if (!limits.allowed) {
          throw new AppError(429, 'RATE_LIMITED', `This token made more than ${limits.limit} requests this minute; retry in ${limits.resetSeconds} s.`, {}, { ...rateLimitHeaders(limits), 'retry-after': String(limits.resetSeconds) });
        }
      }
      request.principal = {
        userId: owner.user.id,
        tokenId: owner.id,
        email: owner.user.email,
        displayName: owner.user.displayName,
        memberships: owner.user.memberships.map((m) => ({ courseId: m.courseId, courseSlug: m.course.slug, timeZone: m.course.timeZone, role: m.role })),
      };
    });
  },
  { name: 'auth', dependencies: ['services'] },
);

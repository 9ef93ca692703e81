/**
 * A web session: an ApiToken of kind SESSION in an HttpOnly, SameSite=Strict cookie. Password sign-in
 * and OpenID Connect sign-in both end here, so a session is the same whichever way it began.
 */
import { createApiToken } from '@mljudge/db';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import type { Services } from '../../services.ts';

/** Secure when asked to, or (auto) when the request came over HTTPS, as seen through a trusted proxy. */
export function secureCookie(services: Services, request: FastifyRequest): boolean {
  const { secureCookies } = services.config.api;
  return secureCookies === 'always' || (secureCookies === 'auto' && request.protocol === 'https');
}

/** Creates the session and sets its cookie; returns when it ends. */
export async function startWebSession(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  how: string,
): Promise<Date> {
  const expiresAt = new Date(services.now().getTime() + services.config.api.sessionHours * 3600_000);
  const { token } = await createApiToken(
    services.db,
    userId,
    `web sign-in, ${how} (${String(request.headers['user-agent'] ?? 'unknown browser').slice(0, 80)})`,
    { kind: 'SESSION', expiresAt },
  );
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: secureCookie(services, request),
    expires: expiresAt,
  });
  return expiresAt;
}

/**
 * Sign-in with OpenID Connect (a university's accounts, GitHub through a bridge, Google...), with
 * openid-client: authorization code flow with PKCE, state and nonce. Only people on a course roster
 * get in: the provider proves the email, the roster decides. Configured by OIDC_* settings; without
 * them the routes answer 404 and the sign-in page shows the password form only.
 *
 * The flow's secrets (state, nonce, PKCE verifier, where to return) travel in a short-lived HttpOnly
 * cookie signed with a key derived from the client secret, so any API process can finish a flow
 * another one started. Failures return to the web app's sign-in page with a code it explains; the
 * provider's own error text is logged, never shown.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { findUserByEmail, membershipsOf, normalizeEmail } from '@mljudge/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as client from 'openid-client';
import Type from 'typebox';
import { notFound } from '../../problems/app-error.ts';
import type { Services } from '../../services.ts';
import { secureCookie, startWebSession } from './web-session.ts';

const FLOW_COOKIE = 'mljudge_oidc_flow';
const FLOW_SECONDS = 600;
const CALLBACK_PATH = '/v1/auth/oidc/callback';

/** Why a sign-in did not happen, as the sign-in page explains it. */
export type OidcRefusal =
  'OIDC_FAILED' | 'OIDC_EXPIRED' | 'OIDC_EMAIL_UNVERIFIED' | 'OIDC_DOMAIN' | 'OIDC_NOT_ON_ROSTER';

interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  readonly returnTo: string;
  readonly expires: number;
}

type OidcSettings = NonNullable<Services['config']['oidc']>;

/** An HTTP issuer is accepted on loopback only (a development or test provider). */
function isLoopback(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** A path on this site to return to after sign-in; anything else (another host, "//x") is "/". */
export function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length < 500 ? value : '/';
}

export class FlowCookie {
  private readonly key: Buffer;

  constructor(settings: OidcSettings) {
    this.key = createHash('sha256').update(`mljudge-oidc-flow:${settings.clientSecret}`).digest();
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  seal(flow: Flow): string {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  open(value: string | undefined, now: number): Flow | null {
    if (!value) return null;
    const [payload, mac] = value.split('.');
    if (!payload || !mac) return null;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
      return flow.expires > now ? flow : null;
    } catch {
      return null;
    }
  }
}

/** The provider's metadata, discovered on first use and kept (retried after a failure). */
class ProviderConfiguration {
  private pending: Promise<client.Configuration> | undefined;

  constructor(private readonly settings: OidcSettings) {}

  get(): Promise<client.Configuration> {
    this.pending ??= this.discover().catch((error: unknown) => {
      this.pending = undefined;
      throw error;
    });
    return this.pending;
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.settings.issuer);
    return client.discovery(
      issuer,
      this.settings.clientId,
      this.settings.clientSecret,
      undefined,
      isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
    );
  }
}

/** Who signs in with these claims: their account, or why they may not. */
async function refusalFor(
  services: Services,
  settings: OidcSettings,
  claims: Readonly<Record<string, unknown>>,
): Promise<{ refusal: OidcRefusal } | { userId: string }> {
  if (typeof claims.email !== 'string') return { refusal: 'OIDC_EMAIL_UNVERIFIED' };
  if (claims.email_verified === false) return { refusal: 'OIDC_EMAIL_UNVERIFIED' };
  const email = normalizeEmail(claims.email);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (settings.allowedDomains.length > 0 && !settings.allowedDomains.includes(domain))
    return { refusal: 'OIDC_DOMAIN' };
  const user = await findUserByEmail(services.db, email);
  if (!user) return { refusal: 'OIDC_NOT_ON_ROSTER' };
  if (!user.siteAdmin && (await membershipsOf(services.db, user.id)).length === 0)
    return { refusal: 'OIDC_NOT_ON_ROSTER' };
  return { userId: user.id };
}

export async function oidcRoutes(app: FastifyInstance) {
  const { services } = app;
  const settings = services.config.oidc;
  const provider = settings ? new ProviderConfiguration(settings) : undefined;
  const cookies = settings ? new FlowCookie(settings) : undefined;

  /** Where the provider sends the browser back: PUBLIC_URL when set (behind a proxy), else this request's origin. */
  const callbackUrl = (request: FastifyRequest, pathAndQuery = CALLBACK_PATH) =>
    new URL(pathAndQuery, services.config.publicUrl ?? `${request.protocol}://${request.host}`);

  const refuse = (reply: FastifyReply, refusal: OidcRefusal) => reply.redirect(`/?signin_error=${refusal}`, 303);

  app.get(
    '/v1/auth/providers',
    {
      config: { public: true },
      schema: {
        summary: 'How one may sign in here: password, and an OpenID Connect provider when configured',
        tags: ['account'],
        security: [],
        response: {
          200: Type.Object({
            password: Type.Boolean(),
            oidc: Type.Union([Type.Object({ label: Type.String(), startUrl: Type.String() }), Type.Null()]),
          }),
        },
      },
    },
    async () => ({
      password: true,
      oidc: settings ? { label: settings.label, startUrl: '/v1/auth/oidc/start' } : null,
    }),
  );

  app.get(
    '/v1/auth/oidc/start',
    {
      config: { public: true },
      schema: {
        summary: 'Start an OpenID Connect sign-in: redirects to the provider',
        tags: ['account'],
        security: [],
        querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      if (!settings || !provider || !cookies) throw notFound('OpenID Connect sign-in');
      let configuration;
      try {
        configuration = await provider.get();
      } catch (error) {
        request.log.error({ err: error }, 'OpenID Connect discovery failed');
        return refuse(reply, 'OIDC_FAILED');
      }
      const flow: Flow = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        verifier: client.randomPKCECodeVerifier(),
        returnTo: safeReturn((request.query as { returnTo?: string }).returnTo),
        expires: Date.now() + FLOW_SECONDS * 1000,
      };
      const target = client.buildAuthorizationUrl(configuration, {
        redirect_uri: callbackUrl(request).href,
        scope: 'openid email profile',
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
        code_challenge_method: 'S256',
      });
      // Lax: the provider's redirect back is a cross-site top-level navigation, which Strict would not carry.
      reply.setCookie(FLOW_COOKIE, cookies.seal(flow), {
        path: CALLBACK_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie(services, request),
        maxAge: FLOW_SECONDS,
      });
      return reply.redirect(target.href, 303);
    },
  );

  app.get(
    CALLBACK_PATH,
    {
      config: { public: true },
      schema: { summary: 'Where the OpenID Connect provider returns the browser', tags: ['account'], security: [] },
    },
    async (request, reply) => {
      if (!settings || !provider || !cookies) throw notFound('OpenID Connect sign-in');
      const flow = cookies.open(request.cookies[FLOW_COOKIE], Date.now());
      reply.clearCookie(FLOW_COOKIE, { path: CALLBACK_PATH, httpOnly: true, sameSite: 'lax' });
      if (!flow) return refuse(reply, 'OIDC_EXPIRED');
      let claims;
      try {
        const tokens = await client.authorizationCodeGrant(await provider.get(), callbackUrl(request, request.url), {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
        // Many providers put the email in the UserInfo answer only, not in the ID token.
        if (claims && typeof claims.email !== 'string')
          claims = {
            ...claims,
            ...(await client.fetchUserInfo(await provider.get(), tokens.access_token, claims.sub)),
          };
      } catch (error) {
        request.log.warn({ err: error }, 'OpenID Connect sign-in failed');
        return refuse(reply, 'OIDC_FAILED');
      }
      if (!claims) return refuse(reply, 'OIDC_FAILED');
      const decision = await refusalFor(services, settings, claims);
      if ('refusal' in decision) {
        request.log.info({ refusal: decision.refusal }, 'OpenID Connect sign-in refused');
        return refuse(reply, decision.refusal);
      }
      await startWebSession(services, request, reply, decision.userId, 'OpenID Connect');
      return reply.redirect(flow.returnTo, 303);
    },
  );
}

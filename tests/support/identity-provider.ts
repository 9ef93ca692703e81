/// <reference lib="dom" />
/**
 * A real OpenID Connect provider for tests (the oidc-provider package) on loopback, with its
 * development login and consent screens: any login name signs in, and becomes the account's verified
 * email. `signInAtProvider` walks those screens in a browser, as a person would.
 */
import type { Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Page } from 'playwright-core';

export const TEST_OIDC_CLIENT = {
  id: 'mljudge-test',
  secret: 'a client secret long enough for HS256 and the flow cookie',
};

/** Starts the provider at `issuer` (http://127.0.0.1:PORT) for the API at `apiBase`. */
export function startIdentityProvider(issuer: string, apiBase: string): Server {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_OIDC_CLIENT.id,
        client_secret: TEST_OIDC_CLIENT.secret,
        redirect_uris: [`${apiBase}/v1/auth/oidc/callback`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    // The development login screen takes any login name; it becomes the account's email.
    async findAccount(_context, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: id, email_verified: true, name: id.split('@')[0] }),
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['a cookie key for the test provider only'] },
  });
  return provider.listen(Number(new URL(issuer).port));
}

/** The API's environment for that provider. */
export function oidcEnvironment(issuer: string, label: string, domains: string): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: TEST_OIDC_CLIENT.id,
    OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.secret,
    OIDC_LABEL: label,
    OIDC_ALLOWED_DOMAINS: domains,
  };
}

/** Clicks the provider button on the web app at `apiBase` and passes the provider's screens as `login`. */
export async function signInAtProvider(page: Page, apiBase: string, issuer: string, label: string, login: string) {
  await page.goto(`${apiBase}/`);
  await page.getByRole('link', { name: label }).click();
  await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
  for (let screen = 0; screen < 3 && page.url().startsWith(`${issuer}/interaction/`); screen++) {
    const current = page.url();
    if ((await page.locator('input[name="login"]').count()) > 0) {
      await page.locator('input[name="login"]').fill(login);
      await page.locator('input[name="password"]').fill('anything');
    }
    await Promise.all([page.waitForURL((url) => url.href !== current), page.locator('button[type="submit"]').click()]);
  }
  // Past the callback, on a page of the web app.
  await page.waitForURL(new RegExp(`^${apiBase.replace(/[.]/g, '\\.')}/(?!v1/)`));
}

/// <reference lib="dom" />
/**
 * Sign-in with a real OpenID Connect provider (the oidc-provider package, started here on loopback
 * with its development login and consent screens) in a real browser: a TA on the roster clicks the
 * button, signs in at the provider and lands signed in; an account on no roster and one from another
 * email domain are sent back to the sign-in page with a clear explanation and no session.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORTS } from '../support/browser.ts';
import { oidcEnvironment, signInAtProvider as signIn, startIdentityProvider } from '../support/identity-provider.ts';
import { freePort } from '../support/processes.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';

// The API's address must be known before it starts (it is the provider's redirect URI and PUBLIC_URL).
const apiPort = await freePort();
const idpPort = await freePort();
const issuer = `http://127.0.0.1:${idpPort}`;
const apiBase = `http://127.0.0.1:${apiPort}`;
const LABEL = 'Sign in with NTU COOL';
const stack = useTestStack({
  worker: false,
  config: { PUBLIC_URL: apiBase, ...oidcEnvironment(issuer, LABEL, 'ntu.edu.tw') },
});

let browser: Browser;
let idp: Server;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'oidc2025');
  await seedUser(stack.database.db, course.id, 'TA', 'ta-oidc');
  await stack.database.prisma.user.update({
    where: { email: 'ta-oidc@example.edu' },
    data: { email: 'ta.lin@ntu.edu.tw', displayName: 'TA Lin' },
  });
  idp = startIdentityProvider(issuer, apiBase);
  await stack.app.listen({ host: '127.0.0.1', port: apiPort });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => idp?.close(resolve));
});

const signInAtProvider = (page: Page, login: string) => signIn(page, apiBase, issuer, LABEL, login);

describe('OpenID Connect sign-in', () => {
  it('signs in a TA on the roster and lands on their course', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await signInAtProvider(page, 'ta.lin@ntu.edu.tw');
    await page.getByText('TA Lin').first().waitFor();
    const me = await page.evaluate(async () => (await fetch('/v1/me')).json());
    expect(me).toMatchObject({ email: 'ta.lin@ntu.edu.tw', courses: [{ slug: 'oidc2025', role: 'ta' }] });
    await context.close();
  });

  it('refuses an account on no roster, with a page that says so and no session', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await signInAtProvider(page, 'stranger@ntu.edu.tw');
    await page.getByText('Your account is not on the roster of any course here').waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(async () => (await fetch('/v1/me')).status)).toBe(401);
    await context.close();
  });

  it('refuses an email outside the allowed domains', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await signInAtProvider(page, 'someone@gmail.com');
    await page.getByText('This site accepts university accounts only').waitFor();
    expect(await page.evaluate(async () => (await fetch('/v1/me')).status)).toBe(401);
    await context.close();
  });

  it('answers a callback without its flow cookie with a retry page, not an error', async () => {
    const response = await fetch(`http://127.0.0.1:${apiPort}/v1/auth/oidc/callback?code=x&state=y`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?signin_error=OIDC_EXPIRED');
  });
});

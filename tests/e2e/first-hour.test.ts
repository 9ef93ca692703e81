/**
 * The first hour of a real deployment, exactly as the README's "Deploy a course" section tells it, on
 * an empty database: the admin command creates the site admin and the course with its professor as
 * course admin; the api and worker start (built, as deployed); the professor signs in through the
 * university's OpenID provider in a browser (a real provider on loopback) and makes an API token on
 * the account page; the CLI imports the roster and pushes HW1 with a public data file; a student
 * signs in with the password the roster import printed, makes a token, downloads the data and
 * submits with the CLI; the score reaches the board.
 */
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { hw1Covid, SeededRandom, writeBundle } from '@mljudge/course-pack';
import { dropDatabase, ensureDatabase, withDatabaseName } from '@mljudge/db';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, VIEWPORTS } from '../support/browser.ts';
import { CLI } from '../support/cli.ts';
import { oidcEnvironment, signInAtProvider, startIdentityProvider } from '../support/identity-provider.ts';
import { TEST_POSTGRES_ADMIN_URL, TEST_REDIS_URL } from '../support/environment.ts';
import { freePort, startService, type ServiceProcess } from '../support/processes.ts';

const run = promisify(execFile);
const ADMIN = fileURLToPath(new URL('../../dist/admin/main.js', import.meta.url));
const database = `mljudge_first_hour_${randomBytes(5).toString('hex')}`;
const work = mkdtempSync(path.join(tmpdir(), 'mljudge-first-hour-'));
const prefix = `mljudge-first-hour-${randomBytes(4).toString('hex')}`;
let env: Record<string, string>;
let base: string;
let issuer: string;
let idp: Server;
let browser: Browser;
const services: ServiceProcess[] = [];
const SIGN_IN_LABEL = 'Sign in with NTU COOL';

/** The admin command, with the service's environment; returns what it printed. */
async function admin(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [ADMIN, ...args], { env: { ...process.env, ...env } });
  return stdout;
}

async function cli(token: string, ...args: string[]) {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, MLJUDGE_URL: base, MLJUDGE_TOKEN: token },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

const passwordIn = (output: string) => /password: (\S+)/.exec(output)?.[1];

/** Signs in with the password (as the web page does) and makes an API token (as the account page does). */
async function tokenFor(email: string, password: string): Promise<string> {
  const session = await fetch(`${base}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(session.status, await session.clone().text()).toBe(201);
  const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
  const created = await fetch(`${base}/v1/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-requested-with': 'mljudge-web' },
    body: JSON.stringify({ name: 'laptop' }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

beforeAll(async () => {
  // Empty: no template, no migrations. The admin command applies them.
  await ensureDatabase(TEST_POSTGRES_ADMIN_URL, database);
  const apiPort = await freePort();
  env = {
    DATABASE_URL: withDatabaseName(TEST_POSTGRES_ADMIN_URL, database),
    REDIS_URL: TEST_REDIS_URL,
    STORAGE_DIR: path.join(work, 'storage'),
    QUEUE_PREFIX: prefix,
    API_PORT: String(apiPort),
  };
  base = `http://127.0.0.1:${apiPort}`;
  issuer = `http://127.0.0.1:${await freePort()}`;
  Object.assign(env, { PUBLIC_URL: base, ...oidcEnvironment(issuer, SIGN_IN_LABEL, 'uni.edu,ntu.edu.tw') });
  idp = startIdentityProvider(issuer, base);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => idp?.close(resolve));
  await Promise.all(services.map((service) => service.stop()));
  await dropDatabase(TEST_POSTGRES_ADMIN_URL, database);
  const redis = new Redis(TEST_REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  rmSync(work, { recursive: true, force: true });
});

describe('the first hour of a course', () => {
  it('goes from an empty database to a scored student submission: admin command, OpenID sign-in, REST, CLI', async () => {
    const created = await admin('create-admin', '--email', 'root@uni.edu', '--name', 'Site Admin');
    expect(created).toMatch(/created site admin root@uni\.edu/);
    expect(passwordIn(created)).toBeDefined();
    const course = await admin(
      'create-course',
      '--slug',
      'ml2025',
      '--title',
      'Machine Learning 2025',
      '--time-zone',
      'Asia/Taipei',
      '--best-of',
      '10',
      '--admin',
      'prof@uni.edu',
    );
    expect(course).toMatch(/created course ml2025 \(Asia\/Taipei, best 10 tasks count\)/);
    const professorPassword = passwordIn(course)!;
    await expect(admin('create-course', '--slug', 'ml2025', '--title', 'again')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/exists already/),
    });

    services.push(await startService('api', env));
    services.push(await startService('worker', { ...env, WORKER_HEALTH_PORT: String(await freePort()) }));

    // The professor signs in with the university's account and makes a token on the account page.
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop });
    const page = await context.newPage();
    await signInAtProvider(page, base, issuer, SIGN_IN_LABEL, 'prof@uni.edu');
    const me = await page.evaluate(async () => (await fetch('/v1/me')).json());
    expect(me).toMatchObject({ email: 'prof@uni.edu', courses: [{ slug: 'ml2025', role: 'admin' }] });
    const professor = await page.evaluate(async () => {
      const created = await fetch('/v1/me/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-requested-with': 'mljudge-web' },
        body: JSON.stringify({ name: 'laptop' }),
      });
      return ((await created.json()) as { token: string }).token;
    });
    await context.close();
    expect(professorPassword).toBeDefined();
    writeFileSync(path.join(work, 'roster.csv'), 'email,name\nb11901001@ntu.edu.tw,Lin Yi-Ting\n');
    const roster = await cli(professor, 'members', 'add', path.join(work, 'roster.csv'), '--course', 'ml2025');
    expect(roster.code, roster.stdout).toBe(0);
    const studentPassword = /b11901001@ntu\.edu\.tw\s+(\S+)/.exec(roster.stdout)?.[1];
    expect(studentPassword).toBeDefined();

    const bundle = await writeBundle(hw1Covid, path.join(work, 'bundles'));
    // The professor publishes the test features on the data tab.
    appendFileSync(path.join(bundle.directory, 'task.yaml'), 'data: [covid.test.csv]\n');
    mkdirSync(path.join(bundle.directory, 'data'));
    writeFileSync(path.join(bundle.directory, 'data', 'covid.test.csv'), 'id,cli,ili\n0,0.81,0.85\n');
    const pushed = await cli(professor, 'task', 'push', bundle.directory, '--course', 'ml2025');
    expect(pushed.code, pushed.stdout).toBe(0);
    expect(pushed.stdout).toMatch(/created hw1-covid v1/);

    const student = await tokenFor('b11901001@ntu.edu.tw', studentPassword!);
    const data = await cli(student, 'download-data', 'hw1-covid', '-o', path.join(work, 'hw1-data'));
    expect(data.code, data.stdout).toBe(0);
    expect(readFileSync(path.join(work, 'hw1-data', 'covid.test.csv'), 'utf8')).toBe('id,cli,ili\n0,0.81,0.85\n');
    expect(readFileSync(path.join(work, 'hw1-data', 'sample_submission.csv'), 'utf8').split('\n')[0]).toBe(
      'id,tested_positive',
    );
    const prediction = path.join(work, 'pred.csv');
    writeFileSync(prediction, hw1Covid.generate(new SeededRandom(3)).sampleSubmission);
    const submitted = await cli(student, 'submit', 'hw1-covid', prediction, '--wait', '60');
    expect(submitted.code, submitted.stdout).toBe(0);
    expect(submitted.stdout).toMatch(/SCORED/i);

    const board = await cli(professor, 'leaderboard', 'hw1-covid', '--json');
    expect(JSON.parse(board.stdout).rows).toEqual([expect.objectContaining({ rank: 1, displayName: 'Lin Yi-Ting' })]);
    const members = await cli(professor, 'members', 'list', '--course', 'ml2025');
    expect(members.stdout).toMatch(/prof@uni\.edu\s+prof@uni\.edu\s+admin/);
  });
});

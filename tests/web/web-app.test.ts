/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Callbacks passed to page.evaluate run in the browser, so this file also sees the DOM types.
/**
 * The web app in a real browser (Debian's Chromium through playwright-core) against a real api and
 * worker on Postgres and Redis. Each flow is what a student or TA does; every check reads the page as
 * a person would (roles, labels, text), and access rules are checked by HTTP status, not by buttons.
 * Screenshots of the main pages at desktop and phone widths land in test-artifacts/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, submit, waitForResult } from '../api/helpers.ts';
import { launchBrowser, screenshot, VIEWPORTS } from '../support/browser.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { predictions, WEB_TASK_SLUG, webTaskBundle } from '../support/web-task.ts';

const stack = useTestStack();
const PASSWORD = 'correct horse battery staple';
const TASK_TITLE = 'Food classification (mini)';

let browser: Browser;
let baseUrl: string;
let course: Awaited<ReturnType<typeof seedCourse>>;
const people: Record<'ta' | 'alice' | 'bob' | 'carol', Awaited<ReturnType<typeof seedUser>>> = {} as never;
let bobSubmissionId: string;

async function named(role: 'TA' | 'STUDENT', handle: string, displayName: string) {
  const person = await seedUser(stack.database.db, course.id, role, handle);
  await stack.database.prisma.user.update({ where: { id: person.user.id }, data: { displayName } });
  return person;
}

async function scored(token: string, content: string) {
  const response = await submit(stack.app, token, WEB_TASK_SLUG, content);
  expect(response.statusCode).toBeLessThan(300);
  return waitForResult(stack.app, token, response.json().submission.id);
}

beforeAll(async () => {
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  course = await seedCourse(stack.database.db);
  people.ta = await named('TA', `ta-${course.slug}`, 'Teaching Assistant');
  people.alice = await named('STUDENT', `alice-${course.slug}`, 'Alice Wang');
  people.bob = await named('STUDENT', `bob-${course.slug}`, 'Bob Chen');
  people.carol = await named('STUDENT', `carol-${course.slug}`, 'Carol Lin');
  const bundle = webTaskBundle(new Date(Date.now() + 3 * 86_400_000 + 5 * 3600_000));
  const created = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/tasks`,
    payload: bundle.payload,
    headers: { ...bundle.headers, ...bearer(people.ta.token) },
  });
  expect(created.statusCode).toBe(201);
  bobSubmissionId = (await scored(people.bob.token, predictions(4, 5))).id;
  await scored(people.carol.token, predictions(6, 8));
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Errors the pages logged (a script error, a refused resource, a Content-Security-Policy violation). */
const pageErrors: string[] = [];

async function signedIn(
  who: keyof typeof people,
  viewport: keyof typeof VIEWPORTS = 'desktop',
  options: { bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[viewport],
    acceptDownloads: true,
    baseURL: baseUrl,
    ...options,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    // 4xx answers the page handles (a 403 shown as "Not allowed") are logged by Chromium as errors too.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text()))
      pageErrors.push(`${page.url()}: ${message.text()}`);
  });
  await page.goto('/');
  await page.getByLabel('Email').fill(people[who].user.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: course.title }).waitFor();
  return { context, page };
}

const tab = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Task sections' }).getByRole('link', { name });

/** Fails when the page is wider than the viewport (a table or a long line pushing the layout). */
async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** WCAG 2 A/AA violations axe-core finds on the page, serious and critical ones only. */
async function accessibilityViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
            options: object,
          ): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * Cumulative layout shift since the page loaded (Chromium's layout-instability API), with what moved
 * (element, text and vertical move) so a failure says where to look.
 */
async function layoutShift(page: Page): Promise<{ total: number; moved: string[] }> {
  return page.evaluate(
    () =>
      new Promise<{ total: number; moved: string[] }>((resolve) => {
        const shift = { total: 0, moved: [] as string[] };
        type Shift = PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
          sources?: Array<{ node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }>;
        };
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as Shift[]) {
            if (entry.hadRecentInput) continue;
            shift.total += entry.value;
            for (const source of entry.sources ?? []) {
              const node = source.node as HTMLElement | undefined;
              shift.moved.push(
                `${entry.value.toFixed(3)} ${node?.className || node?.nodeName || '?'} "${(node?.textContent ?? '').slice(0, 40)}" y ${source.previousRect.y}->${source.currentRect.y}`,
              );
            }
          }
        }).observe({ type: 'layout-shift', buffered: true });
        setTimeout(() => resolve(shift), 300);
      }),
  );
}

describe('web app', () => {
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('shows the sign-in error for a wrong password, with labelled fields reachable by keyboard', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto('/courses/whatever');
    await screenshot(page, 'sign-in', 'desktop');
    await page.keyboard.type(people.alice.user.email); // the email field has focus
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert');
    await expect(alert.textContent()).resolves.toContain('The email or the password is wrong.');
    await expect(alert.textContent()).resolves.toContain('LOGIN_FAILED');
    await context.close();
  });

  it('shows upload progress on a slow connection, and a cancelled upload costs nothing', async () => {
    const { context, page } = await signedIn('carol');
    await page.goto(`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}`);
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('4 of 5');
    // DevTools' network throttling: 900 KB at 150 KB/s takes about six seconds.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 150 * 1024,
    });
    const big = Buffer.alloc(900 * 1024, 'x');
    await page.getByLabel(/Prediction file/).setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: big });
    await page.getByRole('button', { name: 'Upload and score' }).click();
    const progress = page.getByRole('progressbar', { name: 'Upload progress' });
    await page.waitForFunction(
      () => {
        const bar = document.querySelector<HTMLProgressElement>('progress[aria-label="Upload progress"]');
        return bar !== null && !bar.hidden && bar.value > 5 && bar.value < 95;
      },
      undefined,
      { timeout: 15_000 },
    );
    await expect(page.getByText(/^Uploading… \d+% \([\d.]+ KB of 90\d\.\d KB\)$/).count()).resolves.toBe(1);
    await screenshot(page, 'task-uploading', 'desktop');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Upload cancelled. Nothing was counted.').waitFor();
    await expect(progress.isHidden()).resolves.toBe(true);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.reload();
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('4 of 5');
    expect(await stack.database.prisma.submission.count({ where: { userId: people.carol.user.id } })).toBe(1);
    await context.close();
  });

  it('lets a student sign in, upload a CSV, watch it scored live, and see rank and baselines', async () => {
    const { context, page } = await signedIn('alice');
    const card = page.getByRole('listitem').filter({ hasText: TASK_TITLE });
    await expect(card.textContent()).resolves.toMatch(/Deadline: .*\(GMT\+8\)/);
    await expect(card.textContent()).resolves.toMatch(/3d 0[45]h \d\dm left/);
    await card.getByText('No scored submission yet.').waitFor();
    await screenshot(page, 'course-home', 'desktop');

    await card.getByRole('link', { name: TASK_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TASK_TITLE }).waitFor();
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('5 of 5 submissions left today');
    await expect(page.locator('pre.example').textContent()).resolves.toBe('Id,Category\n0,0\n1,1\n2,2\n');

    // The status must arrive live (SSE), not from a reload: with the worker stopped the upload waits
    // in the queue ("Queued"); then its stored file is swapped for a named pipe, so the worker that
    // claims it blocks reading ("Scoring…") until the test writes the file into the pipe ("Scored").
    await stack.worker!.close();
    stack.worker = null;
    const content = predictions(8, 7);
    await page
      .getByLabel(/Prediction file/)
      .setInputFiles({ name: 'alice-first.csv', mimeType: 'text/csv', buffer: Buffer.from(content) });
    await page.getByLabel(/Note to yourself/).fill('resnet, 20 epochs');
    await page.getByRole('button', { name: 'Upload and score' }).click();
    const upload = page.getByTestId('submission');
    await upload.locator('[data-status="QUEUED"]').waitFor();
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('4 of 5 submissions left today');
    await screenshot(page, 'task-queued', 'desktop');
    const row = await stack.database.prisma.submission.findFirstOrThrow({
      where: { userId: people.alice.user.id },
      orderBy: { createdAt: 'desc' },
    });
    const artifact = stack.storage.pathOf(row.artifactKey);
    await rm(artifact);
    execFileSync('mkfifo', [artifact]);
    await stack.startWorker();
    await upload.locator('[data-status="RUNNING"]').waitFor({ timeout: 20_000 });
    await expect(upload.locator('[data-status="RUNNING"]').textContent()).resolves.toBe('Scoring…');
    await writeFile(artifact, content);
    await upload.locator('[data-status="SCORED"]').waitFor({ timeout: 20_000 });
    // Put the file back as a file: later tests download and rescore it.
    await rm(artifact);
    await writeFile(artifact, content);
    await expect(upload.getByTestId('public-score').textContent()).resolves.toBe('0.8');
    const badges = await upload.getByRole('list', { name: 'Baselines' }).getByRole('listitem').allTextContents();
    expect(badges.map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      '✓ simple passed',
      '✓ medium passed',
      '✓ strong passed',
      '· boss not passed',
    ]);
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('4 of 5 submissions left today');
    const shift = await layoutShift(page);
    expect(shift.total, `layout shift from ${shift.moved.join('; ')}`).toBeLessThan(0.1);
    await screenshot(page, 'task-overview', 'desktop');

    await tab(page, 'Leaderboard').click();
    const board = page.locator('table.board tbody');
    await board.locator('tr.me').waitFor();
    await expect(board.locator('tr.me').textContent()).resolves.toMatch(/^1Alice Wang \(you\)0\.8/);
    await page.getByRole('button', { name: 'My rank: 1' }).waitFor();
    // Baseline rows sit between the entries they separate (accuracy: higher is better).
    const order = async () =>
      board
        .locator('tr')
        .evaluateAll((rows) =>
          rows.map(
            (row) => (row as HTMLElement).dataset.baseline ?? row.children[1]!.textContent.replace(' (you)', ''),
          ),
        );
    await expect(order()).resolves.toEqual([
      'boss',
      'Alice Wang',
      'strong',
      'Carol Lin',
      'medium',
      'Bob Chen',
      'simple',
    ]);
    await page.getByText('Live', { exact: true }).waitFor();
    await screenshot(page, 'leaderboard', 'desktop');

    // A new score elsewhere reaches the open board without a reload.
    await scored(people.bob.token, predictions(10, 9));
    await page.waitForFunction(
      () =>
        document.querySelector('table.board tbody tr:not(.baseline-row) td:nth-child(2)')?.textContent === 'Bob Chen',
      undefined,
      { timeout: 15_000 },
    );
    await expect(order()).resolves.toEqual([
      'Bob Chen',
      'boss',
      'Alice Wang',
      'strong',
      'Carol Lin',
      'medium',
      'simple',
    ]);
    await expect(board.locator('tr.me td').first().textContent()).resolves.toBe('2');

    await page.getByRole('searchbox', { name: 'Search students' }).fill('lin');
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('table.board tbody tr:not(.baseline-row)')]
          .map((tr) => tr.textContent.slice(0, 10))
          .join('|') === '3Carol Lin',
    );
    await context.close();
  });

  it('shows the line and column of a rejected upload, and the rejection costs no quota', async () => {
    const { context, page } = await signedIn('alice');
    await page.goto(`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}`);
    await expect(page.getByTestId('quota').textContent()).resolves.toContain('4 of 5');
    const bad = predictions(5).replace('\n1,1\n', '\n1,7\n');
    await page
      .getByLabel(/Prediction file/)
      .setInputFiles({ name: 'typo.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Upload and score' }).click();
    const upload = page.getByTestId('submission');
    await upload.locator('[data-status="REJECTED"]').waitFor({ timeout: 20_000 });
    await expect(upload.getByTestId('problem-where').textContent()).resolves.toBe('line 3, column 2 (Category)');
    await expect(upload.getByRole('alert').textContent()).resolves.toContain('CSV_INVALID_LABEL');
    await page.getByTestId('quota').getByText('4 of 5', { exact: false }).waitFor();
    await screenshot(page, 'task-rejected', 'desktop');

    await tab(page, 'My submissions').click();
    const items = page.getByTestId('submission');
    await items.nth(1).waitFor();
    await expect(items.count()).resolves.toBe(2);
    await expect(items.first().getByTestId('problem-where').textContent()).resolves.toBe('line 3, column 2 (Category)');
    const [own] = await Promise.all([
      page.waitForEvent('download'),
      items.first().getByRole('link', { name: 'Download typo.csv' }).click(),
    ]);
    expect(await readFile(await own.path(), 'utf8')).toBe(bad);
    // Select the scored one for the private board.
    const scoredItem = page.locator('[data-testid="submission"][data-status="SCORED"]');
    await scoredItem.getByLabel('Use for the private board').check();
    await page.getByText('Selected for the private board: 1 of 2').waitFor();
    await screenshot(page, 'my-submissions', 'desktop');
    await context.close();
  });

  it('shows TAs the private board and the dashboard, and downloads the gradebook', async () => {
    const { context, page } = await signedIn('ta');
    await page.getByRole('link', { name: 'TA dashboard' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'TA dashboard' }).waitFor();
    await page.locator('canvas[aria-label^="Histogram of 3 best scores with 4 baseline lines"]').waitFor();
    await page.locator('canvas[aria-label^="Uploads per hour"]').waitFor();
    const grades = page.locator('table.grades tbody');
    await grades.getByText('Alice Wang').waitFor();
    await expect(grades.locator('tr', { hasText: 'Alice Wang' }).locator('td').last().textContent()).resolves.toBe(
      '15',
    );
    await page.getByText('Nothing suspicious.').waitFor();
    await page.getByText(/^Keeping up: \d+ waiting/).waitFor();
    await screenshot(page, 'ta-dashboard', 'desktop');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export gradebook CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${course.slug}-gradebook.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      `email,name,${WEB_TASK_SLUG}_public,${WEB_TASK_SLUG}_private,${WEB_TASK_SLUG}_points,total`,
    );
    // Alice: public 0.8 and private 0.7 both pass simple, medium and strong (3 x 2.5 points each).
    expect(csv).toContain(`${people.alice.user.email},Alice Wang,7.5,7.5,15,15`);

    // A roster with a bad cell adds nobody and says where; a good one returns the new passwords once.
    await page
      .getByLabel('…or paste it')
      .fill('email,name,role\nnew.one@example.edu,New One,student\nnot-an-email,Two,student\n');
    await page.getByRole('button', { name: 'Import roster' }).click();
    await expect(page.getByTestId('problem-where').textContent()).resolves.toBe('line 3, column 1 (email)');
    await page.getByLabel('…or paste it').fill('email,name\nnew.one@example.edu,New One\n');
    await page.getByRole('button', { name: 'Import roster' }).click();
    await page.getByText('Added 1, updated 0.').waitFor();
    const [passwords] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the 1 new passwords' }).click(),
    ]);
    const [, line] = (await readFile(await passwords.path(), 'utf8')).trim().split('\n');
    const password = line!.split(',')[2]!;
    expect(
      (
        await fetch(`${baseUrl}/v1/sessions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'new.one@example.edu', password }),
        })
      ).status,
    ).toBe(201);

    // Rescoring shows its progress until every submission is done.
    await page.getByLabel('Reason for rescoring').fill('checking the new hidden data');
    await page.getByRole('button', { name: 'Rescore all' }).click();
    await page.getByText(/(\d+) of \1 rescored · done/).waitFor({ timeout: 20_000 });

    await page.goto(`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}/leaderboard`);
    await page.getByRole('heading', { name: 'Public leaderboard' }).waitFor();
    // Hold the private board's answer. Until it comes the public rows stay on screen (no jump), and
    // the heading must go on naming the board they belong to.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let requested!: () => void;
    const inFlight = new Promise<void>((resolve) => (requested = resolve));
    const isPrivateBoard = (url: URL) =>
      url.pathname.endsWith('/leaderboard') && url.searchParams.get('split') === 'private';
    await page.route(isPrivateBoard, async (route) => {
      requested();
      await held;
      await route.continue();
    });
    await page.getByText('Private', { exact: true }).click();
    // The request goes out after the page has drawn the Private choice.
    await inFlight;
    await expect(page.locator('#board-title').textContent()).resolves.toBe('Public leaderboard');
    release();
    await page.getByRole('heading', { name: 'Private leaderboard' }).waitFor();
    await page.unroute(isPrivateBoard);
    // Alice selected her 0.8/0.7 submission; Bob's best public (1.0) has private 0.9.
    await page.waitForFunction(() => document.querySelector('table.board tbody tr.baseline-row') !== null);
    const rows = await page
      .locator('table.board tbody tr:not(.baseline-row)')
      .evaluateAll((trs) => trs.map((tr) => [tr.children[1]!.textContent, tr.children[2]!.textContent]));
    expect(rows).toEqual([
      ['Bob Chen', '0.9'],
      ['Carol Lin', '0.8'],
      ['Alice Wang', '0.7'],
    ]);
    await screenshot(page, 'leaderboard-private', 'desktop');
    await context.close();
  });

  it("keeps students out of TA pages and other students' files by HTTP status, not hidden buttons", async () => {
    const { context, page } = await signedIn('alice');
    await page.goto(`/courses/${course.slug}/admin`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await page.getByText('HTTP 403').waitFor();
    await screenshot(page, 'student-forbidden', 'desktop');
    // The same cookie, straight at the API.
    const status = async (url: string) => (await page.request.get(url)).status();
    expect(await status(`/v1/courses/${course.slug}/gradebook.csv`)).toBe(403);
    expect(await status(`/v1/courses/${course.slug}/gradebook`)).toBe(403);
    expect(await status(`/v1/courses/${course.slug}/members`)).toBe(403);
    expect(await status(`/v1/tasks/${WEB_TASK_SLUG}/stats?course=${course.slug}`)).toBe(403);
    expect(await status(`/v1/tasks/${WEB_TASK_SLUG}/leaderboard?split=private&course=${course.slug}`)).toBe(403);
    expect(await status(`/v1/submissions/${bobSubmissionId}`)).toBe(404);
    expect(await status(`/v1/submissions/${bobSubmissionId}/file`)).toBe(404);
    // A write without the web app's header is refused even with a valid cookie (CSRF).
    const forged = await page.request.post('/v1/me/tokens', { data: { name: 'forged' } });
    expect(forged.status()).toBe(403);
    expect((await forged.json()).code).toBe('CSRF_HEADER_MISSING');
    await context.close();
  });

  it('creates and revokes an API token on the account page', async () => {
    const { context, page } = await signedIn('carol');
    await page.getByRole('link', { name: 'Carol Lin' }).click();
    await page.getByLabel('Name').fill('github-actions');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('new-token').textContent())!;
    expect(token).toMatch(/^mlj_/);
    const works = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(works.status).toBe(200);
    await screenshot(page, 'account', 'desktop');
    await page.getByRole('button', { name: 'Revoke github-actions' }).click();
    await page.getByRole('button', { name: 'Revoke github-actions' }).waitFor({ state: 'detached' });
    expect((await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await context.close();
  });

  it('has no serious WCAG 2 A/AA violations (axe-core) and no layout jumps on the main pages at desktop width', async () => {
    // axe is injected as a script, which the pages' Content-Security-Policy would rightly refuse.
    for (const who of ['alice', 'ta'] as const) {
      const { context, page } = await signedIn(who, 'desktop', { bypassCSP: true });
      const urls =
        who === 'alice'
          ? [
              [`/courses/${course.slug}`, TASK_TITLE],
              [`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}`, 'Upload a submission'],
              [`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}/leaderboard`, 'Public leaderboard'],
              [`/courses/${course.slug}/tasks/${WEB_TASK_SLUG}/submissions`, 'My submissions'],
              ['/account', 'API tokens'],
            ]
          : [[`/courses/${course.slug}/admin`, 'Grades']];
      for (const [url, heading] of urls) {
        await page.goto(url!);
        await page.getByRole('heading', { name: heading }).first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        const shift = await layoutShift(page);
        expect(shift.total, `${url}: layout shift from ${shift.moved.join('; ')}`).toBeLessThan(0.1);
        expect(await accessibilityViolations(page), url).toEqual([]);
      }
      await context.close();
    }
  });

  it('fits a phone screen on every main page, without layout jumps while it loads', async () => {
    for (const who of ['alice', 'ta'] as const) {
      const { context, page } = await signedIn(who, 'phone');
      const pages: Array<[string, string, string]> =
        who === 'alice'
          ? [
              ['course-home', `/courses/${course.slug}`, TASK_TITLE],
              ['task-overview', `/courses/${course.slug}/tasks/${WEB_TASK_SLUG}`, 'Upload a submission'],
              ['leaderboard', `/courses/${course.slug}/tasks/${WEB_TASK_SLUG}/leaderboard`, 'Public leaderboard'],
              ['my-submissions', `/courses/${course.slug}/tasks/${WEB_TASK_SLUG}/submissions`, 'My submissions'],
            ]
          : [['ta-dashboard', `/courses/${course.slug}/admin`, 'Grades']];
      for (const [name, url, heading] of pages) {
        await page.goto(url);
        await page.getByRole('heading', { name: heading }).first().waitFor();
        await page.waitForLoadState('networkidle').catch(() => undefined);
        await expectNoHorizontalScroll(page);
        const shift = await layoutShift(page);
        expect(shift.total, `${name}: layout shift from ${shift.moved.join('; ')}`).toBeLessThan(0.1);
        await screenshot(page, name, 'phone');
      }
      await context.close();
    }
  });
});

/// <reference lib="dom" />
// Callbacks passed to page.evaluate run in the browser, so this file also sees the DOM types.
/**
 * A board of 1,200 students in the browser: paging, "my rank", search, and baseline lines that fall
 * on a page boundary. The rows are written with SQL in the shape the worker writes them (a scored
 * submission, its scores and the best-score summary), since 1,200 real uploads would test the worker,
 * not the page.
 */
import type { AddressInfo } from 'node:net';
import { upsertUser } from '@mljudge/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { bearer } from '../api/helpers.ts';
import { launchBrowser, screenshot, VIEWPORTS } from '../support/browser.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { WEB_TASK_SLUG, webTaskBundle } from '../support/web-task.ts';

const stack = useTestStack({ worker: false });
const STUDENTS = 1200;
const ME = 700;
let browser: Browser;
let baseUrl: string;
let courseSlug: string;

beforeAll(async () => {
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  const course = await seedCourse(stack.database.db);
  courseSlug = course.slug;
  const ta = await seedUser(stack.database.db, course.id, 'TA');
  const bundle = webTaskBundle(new Date(Date.now() + 86_400_000));
  const created = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/tasks`,
    payload: bundle.payload,
    headers: { ...bundle.headers, ...bearer(ta.token) },
  });
  expect(created.statusCode).toBe(201);
  const taskId = (await stack.database.prisma.task.findFirstOrThrow({ where: { courseId: course.id } })).id;
  // Student i has public accuracy 1 - (i - 0.5) / 2000, so rank i; boss (0.9) is passed by ranks 1-200.
  await stack.database.prisma.$executeRawUnsafe(`
    WITH people AS (
      INSERT INTO "User" (id, email, "displayName")
      SELECT gen_random_uuid(), 'bulk' || i || '@example.edu', 'Student ' || lpad(i::text, 4, '0') FROM generate_series(1, ${STUDENTS}) i
      RETURNING id, email
    ), numbered AS (
      SELECT id AS user_id, substring(email from 'bulk(\\d+)@')::int AS i FROM people
    ), members AS (
      INSERT INTO "Membership" ("courseId", "userId", role) SELECT '${course.id}', user_id, 'STUDENT' FROM numbered
    ), subs AS (
      INSERT INTO "Submission" (id, "taskId", "userId", status, "artifactKey", "artifactSha256", "artifactBytes", "originalName", "taskVersion", "scorerVersion", attempts, "createdAt", "finishedAt")
      SELECT gen_random_uuid(), '${taskId}', user_id, 'SCORED', 'bulk/' || i, repeat('0', 64), 100, 'pred.csv', 1, 'bulk', 1, now() - interval '1 hour', now() FROM numbered
      RETURNING id, "userId", "createdAt"
    ), scored AS (
      SELECT s.id, s."userId", s."createdAt", 1 - (n.i - 0.5) / 2000.0 AS value FROM subs s JOIN numbered n ON n.user_id = s."userId"
    ), scores AS (
      INSERT INTO "Score" ("submissionId", split, value, metrics, "scorerVersion", "taskVersion")
      SELECT id, 'PUBLIC'::"Split", value, jsonb_build_object('accuracy', value), 'bulk', 1 FROM scored
      UNION ALL SELECT id, 'PRIVATE'::"Split", value, jsonb_build_object('accuracy', value), 'bulk', 1 FROM scored
    )
    INSERT INTO "BestScore" ("taskId", split, "userId", "submissionId", value, "sortKey", "submittedAt", "scoredCount", "updatedAt")
    SELECT '${taskId}', 'PUBLIC', "userId", id, value, -value, "createdAt", 1, now() FROM scored`);
  await upsertUser(stack.database.db, `bulk${ME}@example.edu`, `Student 0${ME}`, 'correct horse battery staple');
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Waits until the board shows the page that starts at `rank` (pages change before their rows arrive). */
const firstRank = (page: Page, rank: number) =>
  page.waitForFunction(
    (want) => document.querySelector('table.board tbody tr:not(.baseline-row) td')?.textContent === String(want),
    rank,
  );

const rowTexts = (page: Page) =>
  page
    .locator('table.board tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) =>
        (row as HTMLElement).dataset.baseline
          ? `-- ${(row as HTMLElement).dataset.baseline}`
          : `${row.children[0]!.textContent} ${row.children[1]!.textContent}`,
      ),
    );

describe('a leaderboard of 1,200 students', () => {
  it('pages, jumps to my rank, searches, and draws baseline lines across page boundaries', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: baseUrl });
    const page = await context.newPage();
    await page.goto(`/courses/${courseSlug}/tasks/${WEB_TASK_SLUG}/leaderboard`);
    await page.getByLabel('Email').fill(`bulk${ME}@example.edu`);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(`Page 1 of 24 · ${STUDENTS} students`).waitFor();
    const first = await rowTexts(page);
    expect(first).toHaveLength(50);
    expect(first[0]).toBe('1 Student 0001');

    // My rank is on page 14; the button takes me there and my row is marked.
    await page.getByRole('button', { name: `My rank: ${ME}` }).click();
    await page.getByText('Page 14 of 24').waitFor();
    await firstRank(page, 651);
    await expect(page.locator('table.board tr.me').textContent()).resolves.toMatch(
      new RegExp(`^${ME}Student 0${ME} \\(you\\)`),
    );
    await screenshot(page, 'leaderboard-1200', 'desktop');

    // Ranks 1-200 pass boss, so its line is the first row of page 5 and not on page 4.
    for (let i = 14; i > 4; i--) await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 4 of 24').waitFor();
    await firstRank(page, 151);
    expect((await rowTexts(page)).filter((row) => row.startsWith('--'))).toEqual([]);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 5 of 24').waitFor();
    await firstRank(page, 201);
    expect((await rowTexts(page)).slice(0, 2)).toEqual(['-- boss', '201 Student 0201']);
    // Next followed the server's cursor; two more pages by cursor, then back the same way.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 6 of 24').waitFor();
    await firstRank(page, 251);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 5 of 24').waitFor();
    await firstRank(page, 201);
    expect((await rowTexts(page)).slice(0, 2)).toEqual(['-- boss', '201 Student 0201']);

    // Search keeps board ranks.
    await page.getByRole('searchbox', { name: 'Search students' }).fill('Student 1042');
    await page.getByText('Page 1 of 1 · 1 student', { exact: true }).waitFor();
    await firstRank(page, 1042);
    expect((await rowTexts(page)).filter((row) => !row.startsWith('--'))).toEqual(['1042 Student 1042']);
    await context.close();
  });
});

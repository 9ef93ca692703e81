/// <reference lib="dom" />
/**
 * The pages of a course's daily work, in Chromium: a Markdown description rendered safely, the data
 * tab and its download, a TA's extension shown to the student on the task page and the course home,
 * the override form reading course time whatever the browser's zone, the rank change after an upload,
 * and a TA's view of one student.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, submit, waitForResult } from '../api/helpers.ts';
import { launchBrowser, VIEWPORTS } from '../support/browser.ts';
import { seedCourse, seedUser, TEST_PASSWORD } from '../support/fixtures.ts';
import { multipart } from '../support/multipart.ts';
import { useTestStack } from '../support/stack.ts';
import { predictions } from '../support/web-task.ts';

const stack = useTestStack();
let browser: Browser;
let baseUrl: string;
let course: Awaited<ReturnType<typeof seedCourse>>;
let ta: Awaited<ReturnType<typeof seedUser>>;
let dana: Awaited<ReturnType<typeof seedUser>>;
const pageErrors: string[] = [];

const DESCRIPTION = [
  'Classify **each** test image.',
  '',
  '- See the [course page](https://speech.ee.ntu.edu.tw/~hylee/ml/2023-spring.php)',
  '- <script>window.hacked = true</script><img src=x onerror="window.hacked = true">',
].join('\n');

const DEADLINE = '2030-03-10T23:59:00+08:00';

function bundle() {
  const taskYaml = [
    'slug: food-pages',
    'title: Food pages',
    `description: ${JSON.stringify(DESCRIPTION)}`,
    'format: csv',
    'id_column: Id',
    'target_column: Category',
    'metric: accuracy',
    'labels: [0, 1, 2, 3]',
    `deadline: ${DEADLINE}`,
    'data: [test_images.txt]',
  ].join('\n');
  const solution = [
    'Id,Category,Usage',
    ...Array.from({ length: 20 }, (_, r) => `${r},${r % 4},${r < 10 ? 'Public' : 'Private'}`),
  ];
  return multipart([
    { field: 'task', filename: 'task.yaml', content: taskYaml },
    { field: 'solution', filename: 'solution.csv', content: solution.join('\n') + '\n' },
    { field: 'data', filename: 'test_images.txt', content: 'image 0\nimage 1\n' },
  ]);
}

beforeAll(async () => {
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(stack.app.server.address() as AddressInfo).port}`;
  course = await seedCourse(stack.database.db);
  ta = await seedUser(stack.database.db, course.id, 'TA', `ta-pages-${course.slug}`);
  dana = await seedUser(stack.database.db, course.id, 'STUDENT', `dana-${course.slug}`);
  const upload = bundle();
  const created = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${course.slug}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta.token) },
  });
  expect(created.statusCode, created.body).toBe(201);
  const first = await submit(stack.app, dana.token, 'food-pages', predictions(4, 4));
  await waitForResult(stack.app, dana.token, first.json().submission.id);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Signs in, in a browser whose own time zone is not the course's. */
async function signedIn(email: string, timezoneId = 'Europe/Berlin'): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORTS.desktop,
    baseURL: baseUrl,
    acceptDownloads: true,
    timezoneId,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: course.title }).waitFor();
  return page;
}

describe('course pages', () => {
  it('take an override in course time from a TA whose browser is elsewhere, and show it to the student', async () => {
    const page = await signedIn(ta.user.email);
    await page.goto(`/courses/${course.slug}/admin/tasks/food-pages`);
    await page.getByLabel('Student email').fill(dana.user.email);
    await page.getByLabel('Extra submissions per day').fill('2');
    await page.getByLabel('Own deadline (course time, Asia/Taipei)').fill('2030-03-12T23:59');
    await page.getByLabel('Reason for the override').fill('medical certificate');
    await page.getByRole('button', { name: 'Save override' }).click();
    await page.getByRole('cell', { name: dana.user.email }).waitFor();
    const overrides = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/food-pages/overrides',
      headers: bearer(ta.token),
    });
    // 23:59 in Taipei (UTC+8), not in Berlin.
    expect(overrides.json().overrides[0].deadline).toBe('2030-03-12T15:59:00.000Z');
    await page.context().close();

    const student = await signedIn(dana.user.email, 'America/New_York');
    await student.getByText('Deadline extended for you by a TA').waitFor();
    await student.getByRole('link', { name: 'Food pages' }).click();
    await student.getByText("· extended for you by a TA (the class's: 10 Mar 2030, 23:59 (GMT+8))").waitFor();
    await student.getByText('(extended for you by a TA)').waitFor();
    await student.context().close();
  });

  it('render the description as Markdown with raw HTML as text and safe links', async () => {
    const page = await signedIn(dana.user.email);
    await page.goto(`/courses/${course.slug}/tasks/food-pages`);
    const description = page.locator('.description');
    await description.locator('strong', { hasText: 'each' }).waitFor();
    const link = description.getByRole('link', { name: 'course page' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await description.locator('script, img').count()).toBe(0);
    await description.getByText('<script>window.hacked = true</script>', { exact: false }).waitFor();
    expect(await page.evaluate(() => (window as { hacked?: boolean }).hacked)).toBeUndefined();
    await page.context().close();
  });

  it('offer the public files and the sample submission on the data tab', async () => {
    const page = await signedIn(dana.user.email);
    await page.goto(`/courses/${course.slug}/tasks/food-pages/data`);
    await page.getByRole('link', { name: 'test_images.txt' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'sample_submission.csv' }).click(),
    ]);
    const sample = await readFile(await download.path(), 'utf8');
    expect(sample.split('\n').slice(0, 3)).toEqual(['Id,Category', '0,0', '1,0']);
    await page.context().close();
  });

  it('show the rank and the change against the previous best after an upload', async () => {
    const page = await signedIn(dana.user.email);
    await page.goto(`/courses/${course.slug}/tasks/food-pages`);
    const file = { name: 'better.csv', mimeType: 'text/csv', buffer: Buffer.from(predictions(8, 8)) };
    await page.getByLabel(/prediction file/i).setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and score' }).click();
    const change = page.getByTestId('rank-change');
    await change.waitFor();
    expect(await change.textContent()).toBe('Rank 1 of 1. An improvement of 0.4 on your previous best of 0.4.');
    await page.context().close();
  });

  it("let a TA look at one student's submissions, scores and files", async () => {
    const page = await signedIn(ta.user.email);
    await page.goto(`/courses/${course.slug}/admin/tasks/food-pages`);
    await page.getByLabel("One student's submissions, scores and files").fill(dana.user.email);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('heading', { level: 1, name: dana.user.displayName }).waitFor();
    await page.getByText('rank 1, best 0.8').waitFor();
    expect(await page.getByTestId('student-submission').count()).toBe(2);
    await page.getByText('+2 a day, deadline 12 Mar 2030, 23:59 (GMT+8): medical certificate').waitFor();
    await page.context().close();
    expect(pageErrors).toEqual([]);
  });
});

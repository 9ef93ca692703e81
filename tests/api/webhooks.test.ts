/**
 * Who webhooks reach: a course-wide hook belongs to the course's staff as they are now, not as they
 * were when the hook was made; a student's own hook hears only about their own scored submissions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFile, bundleUpload } from '../support/bundles.ts';
import { eventually } from '../support/eventually.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack();
const COURSE = 'hooks2023';
const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n';
let receiver: WebhookReceiver;
let ta: string;
let admin: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const course = await seedCourse(stack.database.db, COURSE);
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  admin = (await seedUser(stack.database.db, course.id, 'ADMIN')).token;
  const upload = bundleUpload('covid-mini');
  const created = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
  expect(created.statusCode, created.body).toBe(201);
});

afterAll(() => receiver.close());

async function createHook(token: string, path: string, scope: 'course' | 'own') {
  const response = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/webhooks`,
    payload: { url: receiver.url(path), scope },
    headers: bearer(token),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

async function demote(email: string) {
  const response = await stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/members`,
    payload: { members: [{ email, name: 'Former TA', role: 'student' }] },
    // Only admins change staff roles.
    headers: bearer(admin),
  });
  expect(response.statusCode, response.body).toBe(200);
}

describe('course webhooks after their owner is demoted', () => {
  it('stop at once: the demoted TA receives nothing about other students and the hook is disabled', async () => {
    const { db, prisma } = stack.database;
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: COURSE } });
    const former = await seedUser(db, course.id, 'TA', 'ta-demoted');
    const student = await seedUser(db, course.id, 'STUDENT', 'student-hooked');
    const formerHook = await createHook(former.token, '/demoted-ta', 'course');
    await createHook(ta, '/current-ta', 'course');
    await demote(former.user.email);

    const answer = await submit(stack.app, student.token, 'covid-mini', GOOD, { query: '?wait=60' });
    expect(answer.json().submission.status).toBe('SCORED');
    const submissionId = answer.json().submission.id as string;
    // The current TA's hook is delivered; by then a delivery to the former TA would have been too.
    await eventually(
      () => receiver.calls.some((call) => call.path === '/current-ta' && call.body.includes(submissionId)),
      'the current TA to hear about the submission',
    );
    expect(receiver.calls.filter((call) => call.path === '/demoted-ta')).toEqual([]);
    expect(await prisma.webhookDelivery.count({ where: { webhookId: formerHook } })).toBe(0);
    const hook = await prisma.webhook.findUniqueOrThrow({ where: { id: formerHook } });
    expect(hook.disabledAt).not.toBeNull();
  });

  it('does not send a delivery planned before the demotion', async () => {
    const { db, prisma } = stack.database;
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: COURSE } });
    const former = await seedUser(db, course.id, 'TA', 'ta-late-demoted');
    const student = await seedUser(db, course.id, 'STUDENT', 'student-planned');
    const answer = await submit(stack.app, student.token, 'covid-mini', GOOD, { query: '?wait=60' });
    const submissionId = answer.json().submission.id as string;
    const hookId = await createHook(former.token, '/planned-then-demoted', 'course');
    // A delivery planned while they were staff, still waiting to be sent when the role changes.
    const delivery = await prisma.webhookDelivery.create({
      data: { webhookId: hookId, submissionId, event: 'submission.scored', payload: {} },
    });
    await prisma.membership.update({
      where: { courseId_userId: { courseId: course.id, userId: former.user.id } },
      data: { role: 'STUDENT' },
    });
    // The worker's sweep enqueues pending deliveries; the send-time check refuses this one.
    const settled = await eventually(async () => {
      const row = await prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
      return row.status === 'PENDING' ? null : row;
    }, 'the planned delivery to be settled');
    expect(settled.status).toBe('FAILED');
    expect(settled.lastError).toContain('no longer allowed');
    expect(receiver.calls.filter((call) => call.path === '/planned-then-demoted')).toEqual([]);
  });
});

describe('own webhooks', () => {
  it("hear about their owner's scored submissions only, never rejected uploads or other students", async () => {
    const { db, prisma } = stack.database;
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: COURSE } });
    const alice = await seedUser(db, course.id, 'STUDENT', 'alice-own-hook');
    const bob = await seedUser(db, course.id, 'STUDENT', 'bob-own-hook');
    await createHook(alice.token, '/alice-own', 'own');
    const rejected = await submit(stack.app, alice.token, 'covid-mini', 'id,wrong\n', { query: '?wait=60' });
    expect(rejected.json().submission.status).toBe('REJECTED');
    const bobs = await submit(stack.app, bob.token, 'covid-mini', GOOD, { query: '?wait=60' });
    expect(bobs.json().submission.status).toBe('SCORED');
    const alices = await submit(stack.app, alice.token, 'covid-mini', GOOD, { query: '?wait=60' });
    const scoredId = alices.json().submission.id as string;
    await eventually(
      () => receiver.calls.some((call) => call.path === '/alice-own' && call.body.includes(scoredId)),
      'alice to hear about her scored submission',
    );
    const mine = receiver.calls.filter((call) => call.path === '/alice-own');
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).not.toContain(bobs.json().submission.id);
  });
});

describe('webhook payloads', () => {
  it("carry the public score as students see it: rounded to the task's precision, never private", async () => {
    const { db, prisma } = stack.database;
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: COURSE } });
    const upload = bundleUpload('covid-mini', {
      taskYaml:
        bundleFile('covid-mini', 'task.yaml').toString().replace('slug: covid-mini', 'slug: rounded') +
        'public_precision: 2\n',
    });
    const created = await stack.app.inject({
      method: 'POST',
      url: `/v1/courses/${COURSE}/tasks`,
      payload: upload.payload,
      headers: { ...upload.headers, ...bearer(ta) },
    });
    expect(created.statusCode, created.body).toBe(201);
    const student = await seedUser(db, course.id, 'STUDENT', 'precise-student');
    await createHook(student.token, '/rounded-own', 'own');
    await createHook(ta, '/rounded-course', 'course');
    const odd = 'id,tested_positive\n0,10.123456\n1,12.5\n2,8.987654\n3,9.5\n4,14.5555\n5,11\n6,7.25\n7,13\n';
    const answer = await submit(stack.app, student.token, 'rounded', odd, { query: '?wait=60' });
    const shown = answer.json().submission.public.value as number;
    expect(shown).toBe(Number(shown.toFixed(2)));
    for (const path of ['/rounded-own', '/rounded-course']) {
      const call = await eventually(() => receiver.calls.find((c) => c.path === path), `the ${path} delivery`);
      const body = JSON.parse(call.body);
      expect(body.submission.public.value).toBe(shown);
      expect(
        Object.values(body.submission.public.metrics as Record<string, number>).every(
          (v) => v === Number(v.toFixed(2)),
        ),
      ).toBe(true);
      expect(call.body).not.toContain('private');
    }
  });
});

describe('registering webhooks', () => {
  it('caps the webhooks one account may have, and refuses URLs with credentials', async () => {
    const { db, prisma } = stack.database;
    const course = await prisma.course.findUniqueOrThrow({ where: { slug: COURSE } });
    const student = await seedUser(db, course.id, 'STUDENT', 'many-hooks');
    const register = (url: string) =>
      stack.app.inject({
        method: 'POST',
        url: `/v1/courses/${COURSE}/webhooks`,
        payload: { url },
        headers: bearer(student.token),
      });
    for (let i = 0; i < 10; i++) expect((await register(receiver.url(`/many-${i}`))).statusCode).toBe(201);
    const eleventh = await register(receiver.url('/many-10'));
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json().code).toBe('WEBHOOK_LIMIT');
    const withPassword = await register('http://user:secret@example.org/hook');
    expect(withPassword.json().code).toMatch(/WEBHOOK_URL_INVALID|WEBHOOK_LIMIT/);
  });
});

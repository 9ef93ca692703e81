/**
 * Live updates over Server-Sent Events, driven by the worker's "submission finished" events through
 * the real Redis pub/sub: a submission's status stream ends with its result; a leaderboard stream says
 * when the board changed; ?wait= answers as soon as the result exists.
 */
import type net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleUpload } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack();
let base: string;
let alice: string;
let bob: string;
const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n';

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'live2023');
  const ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  alice = (await seedUser(stack.database.db, course.id, 'STUDENT', 'alice-live')).token;
  bob = (await seedUser(stack.database.db, course.id, 'STUDENT', 'bob-live')).token;
  const upload = bundleUpload('covid-mini');
  await stack.app.inject({
    method: 'POST',
    url: '/v1/courses/live2023/tasks',
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(stack.app.server.address() as net.AddressInfo).port}`;
});

interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Reads events from an SSE response until `enough` says stop (or the stream ends). */
async function readEvents(
  response: Response,
  enough: (events: ServerEvent[]) => boolean,
  timeoutMs = 20_000,
): Promise<ServerEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: ServerEvent[] = [];
  let buffer = '';
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) events.push({ event: name, data: JSON.parse(data) });
      }
      if (enough(events)) break;
    }
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

describe('GET /v1/submissions/:id/events', () => {
  it('streams the status until the submission is scored, then ends', async () => {
    const created = await submit(stack.app, alice, 'covid-mini', GOOD);
    const id = created.json().submission.id;
    const response = await fetch(`${base}/v1/submissions/${id}/events`, { headers: bearer(alice) });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(response, () => false);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.every((event) => event.event === 'status' && event.data.id === id)).toBe(true);
    expect(events[events.length - 1]!.data).toMatchObject({ status: 'SCORED', public: { value: 0.3125 } });
  });

  it("does not open another student's submission", async () => {
    const created = await submit(stack.app, alice, 'covid-mini', GOOD);
    const response = await fetch(`${base}/v1/submissions/${created.json().submission.id}/events`, {
      headers: bearer(bob),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('GET /v1/tasks/:slug/submissions/events', () => {
  it("streams my submissions on the task as they start scoring and finish, and nobody else's", async () => {
    const response = await fetch(`${base}/v1/tasks/covid-mini/submissions/events`, { headers: bearer(alice) });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    let mine = '';
    const reading = readEvents(response, (events) =>
      events.some((event) => event.event === 'submission' && event.data.id === mine && event.data.status === 'SCORED'),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bobs = (await submit(stack.app, bob, 'covid-mini', GOOD)).json().submission.id;
    mine = (await submit(stack.app, alice, 'covid-mini', GOOD)).json().submission.id;
    const events = await reading;
    expect(events[0]).toEqual({ event: 'ready', data: { task: 'covid-mini' } });
    const updates = events.slice(1);
    // Alice may also hear about her submissions from the tests above that are still being scored.
    expect(updates.every((event) => event.event === 'submission' && event.data.id !== bobs)).toBe(true);
    const aliceIds = new Set(
      (
        (
          await stack.app.inject({ method: 'GET', url: '/v1/tasks/covid-mini/submissions', headers: bearer(alice) })
        ).json().submissions as Array<{ id: string }>
      ).map((s) => s.id),
    );
    expect(updates.every((event) => aliceIds.has(event.data.id as string))).toBe(true);
    // The worker announces the claim (RUNNING) and the result; each event carries the row as read then.
    expect(updates.filter((event) => event.data.id === mine).at(-1)!.data).toMatchObject({
      status: 'SCORED',
      public: { value: 0.3125 },
    });
  });
});

describe('GET /v1/tasks/:slug/leaderboard/events', () => {
  it('says the board changed when a new score lands, without carrying any score', async () => {
    const response = await fetch(`${base}/v1/tasks/covid-mini/leaderboard/events`, { headers: bearer(bob) });
    const reading = readEvents(response, (events) => events.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await submit(stack.app, bob, 'covid-mini', GOOD);
    const events = await reading;
    expect(events.map((event) => event.event)).toEqual(['leaderboard', 'leaderboard']);
    expect(events[1]!.data).toEqual({ task: 'covid-mini' });
  });
});

describe('POST ...submissions?wait=', () => {
  it('answers with the result once the worker announces it', async () => {
    const response = await submit(stack.app, bob, 'covid-mini', GOOD, { query: '?wait=30' });
    expect(response.statusCode).toBe(200);
    expect(response.json().submission.status).toBe('SCORED');
  });
});

/**
 * A student sees private anything (scores, baselines, the private board) only when they can no longer
 * submit: not during a late window, and not while a TA's extension lets them submit after everyone else.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { covidPrediction, covidTask, pushTask, seedTestCourse, type TestCourse } from '../support/course.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit } from './helpers.ts';

const stack = useTestStack();
const DEADLINE = '2023-03-17T23:59:59+08:00';
const LATE_UNTIL = '2023-03-19T23:59:59+08:00';
let course: TestCourse;

beforeAll(async () => {
  course = await seedTestCourse(stack, 'reveal2023', ['ada', 'bea']);
});

const at = (iso: string) => {
  stack.clock.now = new Date(iso);
};

async function submitAndWait(token: string, slug: string) {
  const answer = await submit(stack.app, token, slug, covidPrediction(0.5, 1), { query: '?wait=60' });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json().submission;
}

const board = (token: string, slug: string) =>
  stack.app.inject({ method: 'GET', url: `/v1/tasks/${slug}/leaderboard?split=private`, headers: bearer(token) });

describe('during a late window', () => {
  it('keeps private scores, private baselines and the private board from students until it ends', async () => {
    at('2023-03-17T12:00:00+08:00');
    await pushTask(
      stack,
      course,
      covidTask('late-reveal', `deadline: ${DEADLINE}\nlate: { until: ${LATE_UNTIL}, policy: penalty }\n`),
    );
    await submitAndWait(course.students.ada!, 'late-reveal');
    at('2023-03-18T12:00:00+08:00');
    const late = await submitAndWait(course.students.ada!, 'late-reveal');
    expect(late.late).toBe(true);
    expect(late.private).toBeNull();
    expect(late.baselines.private).toBeNull();
    expect((await board(course.students.ada!, 'late-reveal')).statusCode).toBe(403);
    // The TAs see everything, as always.
    expect((await board(course.ta, 'late-reveal')).statusCode).toBe(200);
    at('2023-03-20T00:00:01+08:00');
    expect((await board(course.students.ada!, 'late-reveal')).statusCode).toBe(200);
    const mine = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${late.id}`,
      headers: bearer(course.students.ada!),
    });
    expect(mine.json().private).not.toBeNull();
  });
});

describe("with a TA's extension", () => {
  it('keeps private scores from the extended student until their own deadline, not from the others', async () => {
    at('2023-03-17T12:00:00+08:00');
    await pushTask(stack, course, covidTask('extended-reveal', `deadline: ${DEADLINE}\n`));
    const extended = await stack.app.inject({
      method: 'PUT',
      url: '/v1/tasks/extended-reveal/overrides/ada@example.edu',
      payload: { deadline: '2023-03-19T23:59:59+08:00', reason: 'medical extension' },
      headers: bearer(course.ta),
    });
    expect(extended.statusCode).toBe(200);
    at('2023-03-18T12:00:00+08:00');
    const afterDeadline = await submitAndWait(course.students.ada!, 'extended-reveal');
    expect(afterDeadline.late).toBe(false);
    expect(afterDeadline.private).toBeNull();
    expect((await board(course.students.ada!, 'extended-reveal')).statusCode).toBe(403);
    const listed = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/extended-reveal/submissions',
      headers: bearer(course.students.ada!),
    });
    expect(listed.json().submissions.every((s: { private: unknown }) => s.private === null)).toBe(true);
    // Bea has no extension: her deadline passed, the board is revealed to her.
    expect((await board(course.students.bea!, 'extended-reveal')).statusCode).toBe(200);
    at('2023-03-20T00:00:01+08:00');
    expect((await board(course.students.ada!, 'extended-reveal')).statusCode).toBe(200);
  });
});

/** `mljudge course-pack` creates the whole course pack on a real API in one command. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../api/helpers.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { CLI } from '../support/cli.ts';

const run = promisify(execFile);
const stack = useTestStack({ worker: false });
let url: string;
let ta: string;
let student: string;

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'pack2023');
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT')).token;
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  const address = stack.app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

async function coursePack(token: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [CLI, 'course-pack', '--course', 'pack2023', '--url', url, ...args],
      { env: { ...process.env, MLJUDGE_TOKEN: token } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe('mljudge course-pack', () => {
  it('creates every leaderboard homework of the course as a task with its real size', async () => {
    const result = await coursePack(ta);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(12);
    expect(result.stdout).toContain('created hw2-phoneme v1');
    const tasks = await stack.app.inject({ method: 'GET', url: '/v1/tasks', headers: bearer(student) });
    const bySlug = Object.fromEntries(
      (tasks.json().tasks as Array<{ slug: string; metric: { name: string }; direction: string; format: string }>).map(
        (task) => [task.slug, task],
      ),
    );
    expect(Object.keys(bySlug).sort()).toEqual([
      'hw1-covid',
      'hw10-attack',
      'hw11-domain',
      'hw13-compression',
      'hw15-meta',
      'hw2-phoneme',
      'hw3-food',
      'hw4-speaker',
      'hw5-translation',
      'hw6-anime',
      'hw7-qa',
      'hw8-anomaly',
    ]);
    expect(bySlug['hw1-covid']).toMatchObject({ metric: { name: 'mse' }, direction: 'lower' });
    expect(bySlug['hw5-translation']).toMatchObject({ metric: { name: 'bleu' }, format: 'text' });
    expect(bySlug['hw8-anomaly']).toMatchObject({ metric: { name: 'roc_auc' }, direction: 'higher' });
    expect(bySlug['hw6-anime']).toMatchObject({ metric: { name: 'fid' }, direction: 'lower', format: 'images' });
    expect(bySlug['hw10-attack']).toMatchObject({
      metric: { name: 'attacked_accuracy' },
      direction: 'lower',
      format: 'images',
    });
    const rows = await stack.database.prisma.task.findMany({ select: { slug: true } });
    expect(rows).toHaveLength(12);
  }, 120_000);

  it('exits 4 when the token is not a TA of the course', async () => {
    const result = await coursePack(student, '--only', 'hw1-covid');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('FORBIDDEN');
  });
});

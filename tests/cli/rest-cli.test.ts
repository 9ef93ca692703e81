/**
 * The real `mljudge` binary against a running api + worker: login, submit --wait, every exit code,
 * an idempotent retry after a dropped connection, and webhooks verified by a receiver on loopback.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../api/helpers.ts';
import { bundleUpload } from '../support/bundles.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { useTestStack } from '../support/stack.ts';
import { CLI } from '../support/cli.ts';

const stack = useTestStack();
const scratch = mkdtempSync(path.join(tmpdir(), 'mljudge-rest-cli-'));
let url: string;
let ta: string;
let alice: string;
let aliceId: string;

const GOOD = 'id,tested_positive\n0,10.5\n1,12.5\n2,8\n3,9.5\n4,14\n5,11\n6,7.25\n7,13\n'; // public MSE 0.3125
const MEDIOCRE = 'id,tested_positive\n0,11\n1,12.5\n2,9\n3,9.5\n4,16\n5,11\n6,8.25\n7,13\n'; // public MSE 1

function file(name: string, content: string): string {
  const target = path.join(scratch, name);
  writeFileSync(target, content);
  return target;
}

async function mljudge(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, XDG_CONFIG_HOME: path.join(scratch, 'config'), MLJUDGE_URL: url, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, 'cli2023');
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  const a = await seedUser(stack.database.db, course.id, 'STUDENT', 'alice-cli');
  alice = a.token;
  aliceId = a.user.id;
  const upload = bundleUpload('covid-mini');
  await stack.app.inject({
    method: 'POST',
    url: '/v1/courses/cli2023/tasks',
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
  await stack.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(stack.app.server.address() as net.AddressInfo).port}`;
});

describe('mljudge login', () => {
  it('checks the token, saves it readable only by the user, and later commands use it', async () => {
    const result = await mljudge(['login'], {}, `${alice}\n`);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('as alice-cli@example.edu (cli2023: student)');
    const config = path.join(scratch, 'config', 'mljudge', 'config.json');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ url, token: alice });
    const tasks = await mljudge(['tasks', '--json']);
    expect(tasks.code).toBe(0);
    expect(JSON.parse(tasks.stdout).map((t: { slug: string }) => t.slug)).toEqual(['covid-mini']);
  });

  it('exits 4 for a token the server does not know', async () => {
    const result = await mljudge(['login', '--token', 'mlj_nope']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('TOKEN_INVALID');
  });
});

describe('mljudge submit', () => {
  it('uploads, waits, and prints the score, the rank and the baselines passed', async () => {
    const result = await mljudge(['submit', 'covid-mini', file('good.csv', GOOD), '-m', 'from CI', '--wait']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/SCORED/);
    expect(result.stdout).toContain('public:  mse 0.312500');
    expect(result.stdout).toContain('baselines passed: simple, medium, strong, boss');
    expect(result.stdout).toContain('rank: 1 of 1');
    expect(result.stdout).toMatch(/submissions left today: \d of 5/);
  });

  it('prints JSON with --json', async () => {
    const result = await mljudge(['submit', 'covid-mini', file('good2.csv', GOOD), '--wait', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      submission: { status: 'SCORED', public: { value: 0.3125 } },
      rank: 1,
    });
  });

  it('exits 2 for a rejected file and shows the line, the column and what was expected', async () => {
    const result = await mljudge(['submit', 'covid-mini', file('dup.csv', 'id,tested_positive\n0,1\n0,2\n'), '--wait']);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('CSV_DUPLICATE_ID');
    expect(result.stdout).toContain('at line 3, column 1 (id)');
    expect(result.stdout).toContain('expected: each id exactly once');
  });

  it('exits 3 when the score is below --fail-under (a baseline name or a number)', async () => {
    const strong = await mljudge(['submit', 'covid-mini', file('mediocre.csv', MEDIOCRE), '--fail-under', 'strong']);
    expect(strong.code).toBe(3);
    expect(strong.stderr).toContain('worse than --fail-under strong (0.926190)');
  });

  it('exits 5 once the daily quota is used, and says when it resets; limits still exits 0', async () => {
    // So far: two scored, one rejected (free), one scored below --fail-under: three count.
    expect((await mljudge(['limits', 'covid-mini'])).stdout).toContain('2 of 5 submissions left today');
    for (const name of ['again.csv', 'again1.csv'])
      expect((await mljudge(['submit', 'covid-mini', file(name, GOOD)])).code).toBe(0);
    const refused = await mljudge(['submit', 'covid-mini', file('again2.csv', GOOD)]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('QUOTA_EXCEEDED');
    expect(refused.stderr).toContain('hint: Wait for the quota to reset');
    // limits is a question, not a check: it answers "0 left" and when the quota resets, in course time.
    const limits = await mljudge(['limits', 'covid-mini']);
    expect(limits.code).toBe(0);
    // The reset is less than a day away: hours, minutes or seconds, by the time of day the test runs.
    expect(limits.stdout).toMatch(
      /0 of 5 submissions left today, resets \w{3} \d{1,2} \w{3} 00:00 GMT\+8, in \d+ (h|min|s)\b/,
    );
  });

  it('exits 4 without any token, and 1 for an unknown task', async () => {
    const noToken = await mljudge(['tasks'], { XDG_CONFIG_HOME: path.join(scratch, 'empty'), MLJUDGE_TOKEN: '' });
    expect(noToken.code).toBe(4);
    const unknown = await mljudge(['submit', 'no-such-task', file('x.csv', GOOD)], { MLJUDGE_TOKEN: ta });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('NOT_FOUND');
  });

  it('retries a dropped connection with the same Idempotency-Key and creates one submission', async () => {
    // A proxy that forwards the first upload (POST) but cuts the connection before its answer arrives:
    // the server has stored the submission, the client never hears about it.
    const target = new URL(url);
    let uploads = 0;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      client.on('error', () => undefined);
      upstream.on('error', () => undefined);
      client.once('data', (first: Buffer) => {
        upstream.write(first);
        client.pipe(upstream);
        const drop = first.toString('latin1').startsWith('POST') && ++uploads === 1;
        if (drop)
          upstream.once('data', () => {
            client.destroy();
            upstream.destroy();
          });
        else upstream.pipe(client);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    const ta2 = await mljudge(['submit', 'covid-mini', file('ta.csv', GOOD), '--json'], {
      MLJUDGE_URL: proxied,
      MLJUDGE_TOKEN: ta,
    });
    proxy.close();
    expect(ta2.code, ta2.stderr).toBe(0);
    expect(uploads).toBe(2);
    const rows = await stack.database.prisma.submission.findMany({
      where: { user: { email: { startsWith: 'user-' } }, task: { slug: 'covid-mini' } },
    });
    const taRows = rows.filter((row) => row.originalName === 'ta.csv');
    expect(taRows).toHaveLength(1);
    expect(JSON.parse(ta2.stdout).submission.id).toBe(taRows[0]!.id);
  });

  it('downloads only your own files', async () => {
    const mine = await stack.database.prisma.submission.findFirstOrThrow({ where: { userId: aliceId } });
    const target = path.join(scratch, 'download.csv');
    const result = await mljudge(['download', mine.id, '-o', target]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(target).length).toBe(mine.artifactBytes);
    const other = await stack.database.prisma.submission.findFirstOrThrow({ where: { originalName: 'ta.csv' } });
    expect((await mljudge(['download', other.id, '-o', path.join(scratch, 'nope.csv')])).code).toBe(1);
  });
});

describe('webhooks', () => {
  const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  let receiver: http.Server;
  let failuresLeft = 1;
  let hookUrl: string;

  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        // The first call fails, so the retry path is exercised too.
        response.writeHead(failuresLeft-- > 0 ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}/hook`;
  });

  afterAll(() => {
    receiver.close();
  });

  it('signs submission.scored with HMAC-SHA256, retries after a failure and logs the delivery', async () => {
    const created = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/cli2023/webhooks',
      payload: { url: hookUrl, scope: 'course' },
      headers: bearer(ta),
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json();
    const studentHook = await stack.app.inject({
      method: 'POST',
      url: '/v1/courses/cli2023/webhooks',
      payload: { url: hookUrl, scope: 'course' },
      headers: bearer(alice),
    });
    expect(studentHook.statusCode).toBe(403);
    const result = await mljudge(['submit', 'covid-mini', file('hooked.csv', GOOD), '--wait', '--json'], {
      MLJUDGE_TOKEN: ta,
    });
    const submissionId = JSON.parse(result.stdout).submission.id;
    const deadline = Date.now() + 20_000;
    while (received.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received.length).toBeGreaterThanOrEqual(2);
    const last = received[received.length - 1]!;
    expect(last.headers['mljudge-event']).toBe('submission.scored');
    const [t, v1] = String(last.headers['mljudge-signature'])
      .split(',')
      .map((part) => part.split('=')[1]!);
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${last.body}`).digest('hex'));
    expect(Math.abs(Date.now() / 1000 - Number(t))).toBeLessThan(60);
    const body = JSON.parse(last.body);
    expect(body).toMatchObject({
      event: 'submission.scored',
      submission: { id: submissionId, status: 'SCORED', public: { value: 0.3125 } },
    });
    expect(JSON.stringify(body)).not.toContain('PRIVATE');
    const log = await stack.app.inject({ method: 'GET', url: `/v1/webhooks/${id}/deliveries`, headers: bearer(ta) });
    expect(log.json().deliveries[0]).toMatchObject({
      submissionId,
      status: 'DELIVERED',
      attempts: 2,
      lastStatusCode: 204,
    });
    const foreign = await stack.app.inject({
      method: 'GET',
      url: `/v1/webhooks/${id}/deliveries`,
      headers: bearer(alice),
    });
    expect(foreign.statusCode).toBe(404);
  });
});

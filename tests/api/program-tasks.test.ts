/**
 * Tasks scored by the TA's own program, end to end over HTTP with the real worker: the bundle check
 * runs the program on its sample in the sandbox; each upload runs it again, sandboxed; its scores
 * reach the board and the gradebook, its rejections reach the student with their line, and every way
 * a program can break its contract (crash, hang, memory, network, file escape, fork bomb, garbage)
 * ends FAILED, explained to the TAs only, at no cost to the student.
 *
 * HW12 replays the pure-Python cart-pole stand-in through the course pack's own replay.py: Box2D
 * (LunarLander) is not installable on the test machines.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { seedCourse, seedUser } from '../support/fixtures.ts';
import { misbehavingBundle, playStandIn, programBundleUpload, hw12StandIn } from '../support/program-bundles.ts';
import { useTestStack } from '../support/stack.ts';
import { bearer, submit, waitForResult } from './helpers.ts';

const stack = useTestStack();
const COURSE = 'rl2023';
let ta: string;
let student: string;
let other: string;

async function createTask(upload: ReturnType<typeof programBundleUpload>) {
  return stack.app.inject({
    method: 'POST',
    url: `/v1/courses/${COURSE}/tasks`,
    payload: upload.payload,
    headers: { ...upload.headers, ...bearer(ta) },
  });
}

async function submitted(token: string, task: string, content: string | Buffer, filename: string) {
  const response = await submit(stack.app, token, task, content, { filename });
  expect(response.statusCode, response.body).toBe(202);
  return response.json<{ submission: { id: string }; quota: { used: number; remaining: number } }>();
}

async function quotaUsed(token: string, task: string): Promise<number> {
  const response = await stack.app.inject({ method: 'GET', url: `/v1/tasks/${task}`, headers: bearer(token) });
  return response.json<{ quota: { used: number } }>().quota.used;
}

beforeAll(async () => {
  const course = await seedCourse(stack.database.db, COURSE);
  ta = (await seedUser(stack.database.db, course.id, 'TA')).token;
  student = (await seedUser(stack.database.db, course.id, 'STUDENT', 'lander')).token;
  other = (await seedUser(stack.database.db, course.id, 'STUDENT', 'pilot')).token;
});

describe('HW12 through its scoring program (cart-pole stand-in)', () => {
  beforeAll(async () => {
    const created = await createTask(programBundleUpload(hw12StandIn()));
    expect(created.statusCode, created.body).toBe(201);
    // The course pack's sample is random actions: only a replay can say it is invalid, so the check
    // reports the program's rejection instead of refusing the bundle.
    expect(created.json()).toMatchObject({
      task: { slug: 'hw12-rl', format: 'program', metric: { name: 'mean_reward' } },
      programSample: { outcome: 'rejected', code: 'ACTION_INVALID' },
    });
  });

  it('replays uploads in the sandbox: scores on the board, points by band', async () => {
    const balanced = await submitted(student, 'hw12-rl', playStandIn('lean'), 'Action_List.npy');
    const scored = await waitForResult(stack.app, student, balanced.submission.id);
    expect(scored.status, JSON.stringify(scored.error)).toBe('SCORED');
    // Pushing the way the pole leans keeps it up for the whole 500 steps of every episode.
    expect(scored.public).toEqual({ value: 500, metrics: { mean_reward: 500 } });
    expect(scored.private).toBeNull();
    expect(scored.scorerVersion).toBe('mljudge-program/1.0.0');

    const flailing = await submitted(other, 'hw12-rl', playStandIn('random'), 'Action_List.npy');
    const random = await waitForResult(stack.app, other, flailing.submission.id);
    expect(random.status).toBe('SCORED');
    expect(random.public.value).toBeGreaterThan(5);
    expect(random.public.value).toBeLessThan(110);

    const board = await stack.app.inject({
      method: 'GET',
      url: '/v1/tasks/hw12-rl/leaderboard',
      headers: bearer(student),
    });
    expect(board.json().rows.map((row: { value: number }) => row.value)).toEqual([500, random.public.value]);
    const gradebook = await stack.app.inject({
      method: 'GET',
      url: `/v1/courses/${COURSE}/gradebook.csv`,
      headers: bearer(ta),
    });
    const [header, ...rows] = gradebook.body
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    const lander = Object.fromEntries(
      header!.map((name, index) => [name, rows.find((row) => row.includes('lander@example.edu'))?.[index]]),
    );
    expect(lander['hw12-rl_points']).toBe('4');
  });

  it('passes on the program rejection with its episode and step, at no cost', async () => {
    const before = await quotaUsed(student, 'hw12-rl');
    // Episode 2 cut 10 actions short: the replay finds it still running.
    const lists = playStandIn('lean');
    const header = lists.subarray(0, 128);
    const rows = new BigInt64Array(lists.buffer.slice(lists.byteOffset + 128, lists.byteOffset + lists.length));
    for (let step = 490; step < 500; step++) rows[500 + step] = -1n;
    const cut = Buffer.concat([header, Buffer.from(rows.buffer)]);
    const short = await submitted(student, 'hw12-rl', cut, 'Action_List.npy');
    const rejected = await waitForResult(stack.app, student, short.submission.id);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.error).toMatchObject({ code: 'EPISODE_NOT_FINISHED', line: 2, column: 490 });
    expect(rejected.error.detail).toMatch(/^Action_List\.npy: episode 2 is still running/);

    // A pickled object array is refused unread.
    const objectHeader = "{'descr': '|O', 'fortran_order': False, 'shape': (5,), }";
    const padded = `${objectHeader}${' '.repeat(64 - ((10 + objectHeader.length + 1) % 64))}\n`;
    const pickled = Buffer.concat([
      Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, padded.length, 0]),
      Buffer.from(padded),
      Buffer.from('\x80\x04cos\nsystem\n', 'latin1'),
    ]);
    const object = await submitted(student, 'hw12-rl', pickled, 'Action_List.npy');
    const refused = await waitForResult(stack.app, student, object.submission.id);
    expect(refused.error).toMatchObject({ code: 'NPY_DTYPE' });
    expect(refused.error.detail).toContain('pickle');
    expect(await quotaUsed(student, 'hw12-rl')).toBe(before);
  });

  it('scores offline with mljudge score, the same program', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'mljudge-hw12-offline-'));
    const bundle = hw12StandIn();
    writeFileSync(path.join(directory, 'task.yaml'), bundle.taskYaml);
    mkdirSync(path.join(directory, 'program'));
    for (const [name, content] of Object.entries(bundle.files))
      writeFileSync(path.join(directory, 'program', name), content);
    const upload = path.join(directory, 'Action_List.npy');
    writeFileSync(upload, playStandIn('lean'));
    const result = await runCli(['score', '--task', directory, '--submission', upload, '--json'], {});
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ public: { mean_reward: 500 }, private: null });
  });
});

describe('a scoring program that breaks its contract', () => {
  const TASK = 'misbehaving';
  const failed = async (content: string) => {
    const upload = await submitted(student, TASK, content, 'answer.txt');
    const seen = await waitForResult(stack.app, student, upload.submission.id);
    const staffView = await stack.app.inject({
      method: 'GET',
      url: `/v1/submissions/${upload.submission.id}`,
      headers: bearer(ta),
    });
    expect(seen.status, JSON.stringify(seen)).toBe('FAILED');
    // The student learns only that it failed on the TAs' side; nothing the program printed.
    expect(seen.error.code).toBe('PROGRAM_FAILED');
    expect(seen.error.program).toBeUndefined();
    expect(JSON.stringify(seen)).not.toMatch(/hidden-label|Traceback|refused|MemoryError/);
    return staffView.json().error.program as { reason: string; stderr: string; timedOut: boolean };
  };

  beforeAll(async () => {
    const created = await createTask(programBundleUpload(misbehavingBundle(TASK)));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().programSample).toEqual({
      outcome: 'scored',
      public: { score: 0.25 },
      private: { score: 0.75 },
    });
  });

  it('scores and rejects when it keeps the contract', async () => {
    const ok = await submitted(student, TASK, 'ok', 'answer.txt');
    expect((await waitForResult(stack.app, student, ok.submission.id)).public).toEqual({
      value: 0.25,
      metrics: { score: 0.25 },
    });
    const reject = await submitted(student, TASK, 'reject', 'answer.txt');
    expect((await waitForResult(stack.app, student, reject.submission.id)).error).toMatchObject({
      code: 'WORD_NOT_ALLOWED',
      detail: 'answer.txt: the second word is not allowed',
      line: 1,
      column: 8,
    });
  });

  it('a crash: FAILED, its traceback to the TAs only', async () => {
    const program = await failed('crash');
    expect(program.reason).toBe('it exited with status 1');
    expect(program.stderr).toContain('RuntimeError: a bug in the TA');
  });

  it('a hang: killed at its wall-clock limit', async () => {
    const program = await failed('hang');
    expect(program).toMatchObject({ timedOut: true, reason: 'it ran past its 6 s limit and was killed' });
  });

  it('8 GB of memory: refused by the memory limit', async () => {
    const program = await failed('memory');
    expect(program.reason).toBe('it exited with status 1 (out of memory: its limit is 256 MB)');
    expect(program.stderr).toContain('MemoryError');
  });

  it('a socket: there is no network in the sandbox', async () => {
    const connections: net.Socket[] = [];
    const listener = net.createServer((socket) => connections.push(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const port = (listener.address() as net.AddressInfo).port;
      const program = await failed(`network ${port}`);
      expect(program.stderr).toMatch(/Network is unreachable|Connection refused/);
      expect(connections).toHaveLength(0);
    } finally {
      listener.close();
    }
  });

  it('writing outside its temp dir: read-only or absent, nothing lands on the host', async () => {
    const hostFile = path.join(mkdtempSync(path.join(tmpdir(), 'mljudge-escape-')), 'escaped.txt');
    const storageFile = path.join(stack.config.storageDir, 'escaped.txt');
    const program = await failed(
      `escape ${hostFile} ${storageFile} /bundle/program/misbehave.py /submission/submission /etc/passwd`,
    );
    for (const target of [hostFile, storageFile]) expect(existsSync(target)).toBe(false);
    expect(program.stderr).toContain('refused /bundle/program/misbehave.py: [Errno 30] Read-only file system');
    expect(program.stderr).toContain('refused /etc/passwd');
    expect(program.stderr.match(/^refused /gm)).toHaveLength(5);
  });

  it('a fork bomb: stopped by the process limit', async () => {
    const program = await failed('fork');
    const forked = Number(/fork refused after (\d+) children/.exec(program.stderr)?.[1]);
    expect(forked).toBeLessThan(16);
    expect(program.reason).toBe('it exited with status 4');
  });

  it('output that is not the contract JSON', async () => {
    const program = await failed('garbage');
    expect(program.reason).toMatch(/^its standard output is not one JSON object/);
  });

  it('costs the student nothing, and the TAs see every failure in one list', async () => {
    // Of nine uploads only the scored one counts: a rejection is the student's to fix, a failure ours.
    expect(await quotaUsed(student, TASK)).toBe(1);
    const list = await stack.app.inject({ method: 'GET', url: `/v1/tasks/${TASK}/failures`, headers: bearer(ta) });
    expect(list.statusCode).toBe(200);
    const failures = list.json().failures as Array<{ code: string; program: { reason: string } | null }>;
    expect(failures).toHaveLength(7);
    expect(failures.every((failure) => failure.code === 'PROGRAM_FAILED' && failure.program !== null)).toBe(true);
    const forbidden = await stack.app.inject({
      method: 'GET',
      url: `/v1/tasks/${TASK}/failures`,
      headers: bearer(student),
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('program bundles are checked before they are accepted', () => {
  it('refuses a program that fails on its sample, quoting its stderr', async () => {
    const bundle = misbehavingBundle('broken-sample');
    const refused = await createTask(
      programBundleUpload({ ...bundle, files: { ...bundle.files, 'sample.txt': 'crash' } }),
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'BUNDLE_PROGRAM_FAILED' });
    expect(refused.json().detail).toContain('RuntimeError: a bug in the TA');
    const tasks = await stack.app.inject({ method: 'GET', url: '/v1/tasks', headers: bearer(ta) });
    expect(tasks.json().tasks.map((task: { slug: string }) => task.slug)).not.toContain('broken-sample');
  });

  it('refuses a program task without its sample, or without a program', async () => {
    const bundle = misbehavingBundle('no-sample');
    const withoutSample = await createTask(
      programBundleUpload({ ...bundle, files: { 'misbehave.py': bundle.files['misbehave.py']! } }),
    );
    expect(withoutSample.json()).toMatchObject({ code: 'BUNDLE_INCOMPLETE' });
    expect(withoutSample.json().detail).toContain('program/sample.txt');
    const withoutProgram = await createTask(programBundleUpload({ ...bundle, files: {} }));
    expect(withoutProgram.json()).toMatchObject({ code: 'BUNDLE_INCOMPLETE' });
  });
});

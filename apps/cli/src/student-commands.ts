/** Commands a student or a CI job runs: tasks, submit, status, submissions, leaderboard, limits, select, download. */
import { access, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Leaderboard, MljudgeClient, Submission, Task } from '@mljudge/client';
import { command } from './command.ts';
import { courseTime } from './course-time.ts';
import { CONNECTION_OPTIONS, clientFrom, printJson } from './context.ts';
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';
import { formatScore, renderSubmission, table } from './render.ts';

const FINISHED = new Set(['SCORED', 'REJECTED', 'FAILED']);

export const tasksCommand = command(
  'Usage: mljudge tasks [--json]',
  CONNECTION_OPTIONS,
  async ({ values }, output, env) => {
    const { tasks } = await (await clientFrom(values, env)).tasks();
    if (values.json) printJson(output, tasks);
    else
      output.stdout.write(
        table([
          ['TASK', 'COURSE', 'METRIC', 'DEADLINE', 'TITLE'],
          ...tasks.map((t) => [
            t.slug,
            t.course,
            `${t.metric.name} (${t.direction})`,
            t.deadline ? courseTime(t.deadline, t.timeZone) : '-',
            t.title,
          ]),
        ]),
      );
    return EXIT.ok;
  },
);

/** The threshold of --fail-under: a number, or the name of one of the task's baselines. */
function threshold(task: Task, value: string): number {
  const number = Number(value);
  if (value.trim() !== '' && Number.isFinite(number)) return number;
  const baseline = task.baselines.find((b) => b.name === value);
  const level = baseline?.thresholds[task.metric.name];
  if (level === undefined)
    throw new Error(
      `--fail-under takes a number or a baseline of ${task.slug} (${task.baselines.map((b) => b.name).join(', ') || 'none'}); got "${value}".`,
    );
  return level;
}

function progressBar(output: Output): ((sent: number, total: number) => void) | undefined {
  const stream = output.stderr as NodeJS.WriteStream;
  if (!stream.isTTY) return undefined;
  let last = -1;
  return (sent, total) => {
    const percent = Math.floor((sent / total) * 100);
    if (percent === last) return;
    last = percent;
    const filled = Math.round(percent / 4);
    stream.write(
      `\r  uploading [${'#'.repeat(filled)}${' '.repeat(25 - filled)}] ${percent}% of ${(total / 1024).toFixed(0)} KiB${percent === 100 ? '\n' : ''}`,
    );
  };
}

async function waitForResult(
  client: MljudgeClient,
  submission: Submission,
  timeoutSeconds: number,
): Promise<Submission> {
  const until = Date.now() + timeoutSeconds * 1000;
  let current = submission;
  while (!FINISHED.has(current.status) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    current = await client.submission(submission.id);
  }
  return current;
}

const SUBMIT_USAGE = `Usage: mljudge submit TASK FILE [-m MESSAGE] [--wait] [--timeout SECONDS] [--fail-under VALUE|BASELINE]
                      [--idempotency-key KEY] [--json]

Uploads FILE to TASK. With --wait, waits for the score and prints it with your rank and the baselines
passed. --fail-under exits 3 when the public score is worse than VALUE or than the named baseline.
A dropped connection is retried with the same Idempotency-Key (a fresh one per run unless given), so a
retry never creates a second submission.
Exit status: 0 ok, 2 rejected, 3 below --fail-under, 4 auth, 5 quota exhausted, 1 other.`;

export const submitCommand = command(
  SUBMIT_USAGE,
  {
    ...CONNECTION_OPTIONS,
    message: { type: 'string', short: 'm' },
    wait: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    'fail-under': { type: 'string' },
    'idempotency-key': { type: 'string' },
  },
  async ({ values, positionals }, output, env) => {
    const [slug, file] = positionals;
    if (!slug || !file) {
      output.stderr.write(`${SUBMIT_USAGE}\n`);
      return EXIT.other;
    }
    await access(file);
    const client = await clientFrom(values, env);
    const task = await client.task(slug, values.course as string | undefined);
    const failUnder = typeof values['fail-under'] === 'string' ? threshold(task, values['fail-under']) : undefined;
    const wait = values.wait === true || failUnder !== undefined;
    const timeout = Number(values.timeout);
    const progress = values.json ? undefined : progressBar(output);
    const { result } = await client.submit(slug, file, {
      ...(typeof values.message === 'string' ? { message: values.message } : {}),
      ...(typeof values['idempotency-key'] === 'string' ? { idempotencyKey: values['idempotency-key'] } : {}),
      ...(wait ? { waitSeconds: Math.min(timeout, 60) } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    const submission = wait ? await waitForResult(client, result.submission, timeout) : result.submission;
    const board: Leaderboard | null =
      submission.status === 'SCORED' ? await client.leaderboard(slug, 'public', 1).catch(() => null) : null;
    if (values.json) printJson(output, { submission, quota: result.quota, rank: board?.me?.rank ?? null });
    else {
      output.stdout.write(renderSubmission(submission));
      if (board?.me)
        output.stdout.write(`  rank: ${board.me.rank} of ${board.total} (best ${formatScore(board.me.value)})\n`);
      output.stdout.write(
        `  submissions left today: ${result.quota.remaining} of ${result.quota.limit} (resets ${courseTime(result.quota.resetsAt, task.timeZone)})\n`,
      );
      if (!FINISHED.has(submission.status))
        output.stdout.write(`  still ${submission.status}; check with: mljudge status ${submission.id}\n`);
    }
    if (submission.status === 'REJECTED') return EXIT.rejected;
    if (submission.status === 'FAILED' || (wait && !FINISHED.has(submission.status))) return EXIT.other;
    if (failUnder !== undefined && submission.public) {
      const value = submission.public.value;
      const passes = task.direction === 'higher' ? value >= failUnder : value <= failUnder;
      if (!passes) {
        if (!values.json)
          output.stderr.write(
            `public ${task.metric.name} ${formatScore(value)} is worse than --fail-under ${values['fail-under']} (${formatScore(failUnder)})\n`,
          );
        return EXIT.belowThreshold;
      }
    }
    return EXIT.ok;
  },
);

const STATUS_USAGE = `Usage: mljudge status SUBMISSION_ID [--json]

SUBMISSION_ID may be the first characters of the id (at least 6), as "mljudge submissions" lists it.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The full id of one of my submissions from a prefix; an error naming the candidates otherwise. */
async function resolveSubmissionId(client: MljudgeClient, prefix: string): Promise<string> {
  if (UUID.test(prefix)) return prefix;
  if (!/^[0-9a-f-]{6,}$/i.test(prefix))
    throw new Error(`"${prefix}" is not a submission id or the start of one (at least 6 hex characters).`);
  const { tasks } = await client.tasks();
  const ids = new Set<string>();
  for (const task of tasks)
    for (const submission of (await client.submissions(task.slug)).submissions)
      if (submission.id.startsWith(prefix.toLowerCase())) ids.add(submission.id);
  if (ids.size === 1) return [...ids][0]!;
  if (ids.size === 0) throw new Error(`none of your submissions has an id starting with ${prefix}.`);
  throw new Error(`several submissions start with ${prefix}: ${[...ids].join(', ')}; give more characters.`);
}

export const statusCommand = command(STATUS_USAGE, CONNECTION_OPTIONS, async ({ values, positionals }, output, env) => {
  if (!positionals[0]) {
    output.stderr.write(`${STATUS_USAGE}\n`);
    return EXIT.other;
  }
  const client = await clientFrom(values, env);
  const submission = await client.submission(await resolveSubmissionId(client, positionals[0]));
  if (values.json) printJson(output, submission);
  else output.stdout.write(renderSubmission(submission));
  return submission.status === 'REJECTED' ? EXIT.rejected : EXIT.ok;
});

export const submissionsCommand = command(
  'Usage: mljudge submissions TASK [--json]',
  CONNECTION_OPTIONS,
  async ({ values, positionals }, output, env) => {
    if (!positionals[0]) {
      output.stderr.write('Usage: mljudge submissions TASK [--json]\n');
      return EXIT.other;
    }
    const client = await clientFrom(values, env);
    const task = await client.task(positionals[0], values.course as string | undefined);
    const { submissions } = await client.submissions(positionals[0]);
    if (values.json) printJson(output, submissions);
    else
      output.stdout.write(
        table([
          ['ID', 'CREATED', 'STATUS', 'PUBLIC', 'SELECTED'],
          ...submissions.map((s) => [
            s.id,
            courseTime(s.createdAt, task.timeZone),
            s.status,
            s.public ? formatScore(s.public.value) : (s.error?.code ?? '-'),
            s.selected ? 'yes' : '',
          ]),
        ]),
      );
    return EXIT.ok;
  },
);

export const leaderboardCommand = command(
  'Usage: mljudge leaderboard TASK [--private] [--limit N] [--json]',
  { ...CONNECTION_OPTIONS, private: { type: 'boolean', default: false }, limit: { type: 'string', default: '50' } },
  async ({ values, positionals }, output, env) => {
    if (!positionals[0]) {
      output.stderr.write('Usage: mljudge leaderboard TASK [--private] [--limit N] [--json]\n');
      return EXIT.other;
    }
    const board = await (
      await clientFrom(values, env)
    ).leaderboard(positionals[0], values.private ? 'private' : 'public', Number(values.limit));
    if (values.json) printJson(output, board);
    else {
      output.stdout.write(
        `${board.task} ${board.split} board (${board.direction} is better), ${board.total} students\n`,
      );
      output.stdout.write(
        table([
          ['RANK', 'STUDENT', 'SCORE', 'ENTRIES'],
          ...board.rows.map((row) => [
            String(row.rank),
            `${row.displayName}${row.isMe ? ' (you)' : ''}`,
            formatScore(row.value),
            String(row.submissions),
          ]),
        ]),
      );
      if (board.baselines.length > 0)
        output.stdout.write(
          `baselines: ${board.baselines.map((b) => `${b.name} ${formatScore(b.value)}`).join(', ')}\n`,
        );
    }
    return EXIT.ok;
  },
);

const LIMITS_USAGE = `Usage: mljudge limits TASK [--json]

Your submissions left today and your deadline, with what a TA extended. A question, not a check:
it exits 0 even with no submissions left ("mljudge submit" exits 5 then).`;

export const limitsCommand = command(LIMITS_USAGE, CONNECTION_OPTIONS, async ({ values, positionals }, output, env) => {
  if (!positionals[0]) {
    output.stderr.write(`${LIMITS_USAGE}\n`);
    return EXIT.other;
  }
  const task = await (await clientFrom(values, env)).task(positionals[0], values.course as string | undefined);
  const quota = task.quota!;
  const deadline = task.deadlineForYou ?? task.deadline;
  if (values.json)
    printJson(output, {
      quota,
      deadline,
      deadlineExtended: task.deadlineExtended ?? false,
      timeZone: task.timeZone,
    });
  else
    output.stdout.write(
      [
        `${task.slug}: ${quota.remaining} of ${quota.limit} submissions left today${quota.extended ? ' (extended by a TA)' : ''}, resets ${courseTime(quota.resetsAt, task.timeZone)}`,
        `deadline: ${deadline ? courseTime(deadline, task.timeZone) : 'none'}${task.deadlineExtended ? ` (extended by a TA; the class's is ${task.deadline ? courseTime(task.deadline, task.timeZone) : 'none'})` : ''}`,
      ].join('\n') + '\n',
    );
  return EXIT.ok;
});

export const selectCommand = command(
  'Usage: mljudge select SUBMISSION_ID [--unselect] [--json]',
  { ...CONNECTION_OPTIONS, unselect: { type: 'boolean', default: false } },
  async ({ values, positionals }, output, env) => {
    if (!positionals[0]) {
      output.stderr.write('Usage: mljudge select SUBMISSION_ID [--unselect] [--json]\n');
      return EXIT.other;
    }
    const client = await clientFrom(values, env);
    const result = await client.select(await resolveSubmissionId(client, positionals[0]), !values.unselect);
    if (values.json) printJson(output, result);
    else
      output.stdout.write(
        `${result.id} ${result.selected ? 'selected' : 'unselected'} for the private board (${result.selectedCount} of ${result.limit} selected)\n`,
      );
    return EXIT.ok;
  },
);

export const downloadCommand = command(
  'Usage: mljudge download SUBMISSION_ID [-o FILE]',
  { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o' } },
  async ({ values, positionals }, output, env) => {
    if (!positionals[0]) {
      output.stderr.write('Usage: mljudge download SUBMISSION_ID [-o FILE]\n');
      return EXIT.other;
    }
    const client = await clientFrom(values, env);
    const id = await resolveSubmissionId(client, positionals[0]);
    const target = typeof values.output === 'string' ? values.output : `${id}.csv`;
    await client.download(id, target);
    if (values.json) printJson(output, { id, file: target });
    else output.stdout.write(`saved ${target}\n`);
    return EXIT.ok;
  },
);

const DOWNLOAD_DATA_USAGE = `Usage: mljudge download-data TASK [-o DIR] [--force]

Downloads the task's public files (its data tab: test inputs, a sample submission) into DIR
(default ./TASK-data). Existing files are kept unless --force.`;

export const downloadDataCommand = command(
  DOWNLOAD_DATA_USAGE,
  { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o' }, force: { type: 'boolean', default: false } },
  async ({ values, positionals }, output, env) => {
    const [slug] = positionals;
    if (!slug) {
      output.stderr.write(`${DOWNLOAD_DATA_USAGE}\n`);
      return EXIT.other;
    }
    const client = await clientFrom(values, env);
    const { files } = await client.dataFiles(slug, typeof values.course === 'string' ? values.course : undefined);
    const directory = typeof values.output === 'string' ? values.output : `${slug}-data`;
    await mkdir(directory, { recursive: true });
    const saved: string[] = [];
    for (const file of files) {
      const target = path.join(directory, file.name);
      await client.downloadPath(file.url, target, { overwrite: values.force === true });
      saved.push(target);
    }
    if (values.json) printJson(output, { directory, files: saved });
    else if (files.length === 0) output.stdout.write(`${slug} has no public files\n`);
    else output.stdout.write(saved.map((file) => `saved ${file}`).join('\n') + '\n');
    return EXIT.ok;
  },
);

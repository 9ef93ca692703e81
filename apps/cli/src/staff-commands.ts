/** Commands for TAs: push a task bundle, rescore a task, export grades; and login for everyone. */
import { writeFile } from 'node:fs/promises';
import { MljudgeClient } from '@mljudge/client';
import { command } from './command.ts';
import { saveLogin } from './config-file.ts';
import { CONNECTION_OPTIONS, DEFAULT_URL, clientFrom, printJson } from './context.ts';
import { EXIT } from './exit-codes.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export const loginCommand = command(
  `Usage: mljudge login [--url URL] [--token TOKEN]

Checks the token with the server and saves both to your config directory (readable only by you).
Without --token the token is read from standard input, so it stays out of your shell history:
  echo "$TOKEN" | mljudge login --url https://judge.example.edu`,
  CONNECTION_OPTIONS,
  async ({ values }, output, env) => {
    const url = (values.url as string | undefined) ?? env.MLJUDGE_URL ?? DEFAULT_URL;
    const token = (values.token as string | undefined) ?? (await readStdin());
    if (!token) {
      output.stderr.write('error: no token given (use --token or pipe it in)\n');
      return EXIT.auth;
    }
    const me = await new MljudgeClient(url, token).me();
    const file = await saveLogin(env, { url, token });
    if (values.json) printJson(output, { ...me, config: file });
    else
      output.stdout.write(
        `logged in to ${url} as ${me.email} (${me.courses.map((c) => `${c.slug}: ${c.role}`).join(', ') || 'no courses'}); saved to ${file}\n`,
      );
    return EXIT.ok;
  },
);

export const taskPushCommand = command(
  'Usage: mljudge task push DIR --course COURSE [--json]',
  CONNECTION_OPTIONS,
  async ({ values, positionals }, output, env) => {
    const [directory] = positionals;
    if (!directory || typeof values.course !== 'string') {
      output.stderr.write('Usage: mljudge task push DIR --course COURSE\n');
      return EXIT.other;
    }
    const saved = await (await clientFrom(values, env)).pushTaskBundle(values.course, directory);
    if (values.json) printJson(output, saved);
    else
      output.stdout.write(
        `${saved.created ? 'created' : 'updated'} ${saved.task.slug} v${saved.task.version} (${saved.rows.public} public, ${saved.rows.private} private rows)\n`,
      );
    return EXIT.ok;
  },
);

export const rescoreCommand = command(
  'Usage: mljudge rescore TASK --reason TEXT [--json]',
  { ...CONNECTION_OPTIONS, reason: { type: 'string' } },
  async ({ values, positionals }, output, env) => {
    if (!positionals[0] || typeof values.reason !== 'string') {
      output.stderr.write('Usage: mljudge rescore TASK --reason TEXT\n');
      return EXIT.other;
    }
    const run = await (await clientFrom(values, env)).rescore(positionals[0], values.reason);
    if (values.json) printJson(output, run);
    else output.stdout.write(`rescoring ${run.submissions} submissions of ${positionals[0]} (run ${run.runId})\n`);
    return EXIT.ok;
  },
);

export const gradesExportCommand = command(
  'Usage: mljudge grades export --course COURSE [--canvas] [-o FILE]',
  { ...CONNECTION_OPTIONS, output: { type: 'string', short: 'o' }, canvas: { type: 'boolean', default: false } },
  async ({ values }, output, env) => {
    if (typeof values.course !== 'string') {
      output.stderr.write('Usage: mljudge grades export --course COURSE [--canvas] [-o FILE]\n');
      return EXIT.other;
    }
    const file = values.canvas ? 'gradebook.canvas.csv' : 'gradebook.csv';
    const csv = await (await clientFrom(values, env)).text(`/v1/courses/${encodeURIComponent(values.course)}/${file}`);
    if (typeof values.output === 'string') {
      await writeFile(values.output, csv);
      output.stdout.write(`saved ${values.output}\n`);
    } else output.stdout.write(csv);
    return EXIT.ok;
  },
);

/**
 * The admin command, run on the server with the service's DATABASE_URL (like Django's
 * createsuperuser): the one way into an empty deployment. It applies the migrations first, so it
 * works before the API has ever started.
 *
 *   node dist/admin/main.js create-admin --email you@uni.edu --name "Your Name"
 *   docker compose run --rm api node dist/admin/main.js create-course --slug ml2025 --title "ML 2025"
 *
 * Exit codes: 0 done, 2 a usage error (what was wrong is printed), 1 anything else.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@mljudge/config';
import { applyMigrations, closeDatabase, createDatabase } from '@mljudge/db';
import { COMMANDS, UsageError, type CommandName } from './commands.ts';

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  password: { type: 'string' },
  slug: { type: 'string' },
  title: { type: 'string' },
  'time-zone': { type: 'string' },
  'best-of': { type: 'string' },
  admin: { type: 'string' },
  course: { type: 'string' },
  role: { type: 'string' },
  days: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((command) => command.usage.length));
  return [
    'usage: node dist/admin/main.js COMMAND [options]   (needs DATABASE_URL)',
    '',
    ...Object.values(COMMANDS).map((command) => `  ${command.usage.padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  const [name, ...extra] = parsed.positionals;
  if (parsed.values.help || name === undefined || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name === undefined && !parsed.values.help ? 2 : 0;
  }
  if (!(name in COMMANDS) || extra.length > 0) {
    process.stderr.write(`unknown command: ${[name, ...extra].join(' ')}\n\n${usage()}\n`);
    return 2;
  }
  const databaseUrl = loadConfig().databaseUrl;
  if (!databaseUrl) {
    process.stderr.write('DATABASE_URL is not set: run this where the API runs, with its environment.\n');
    return 2;
  }
  await applyMigrations(databaseUrl);
  const db = createDatabase(databaseUrl, { maxConnections: 2 });
  try {
    const command = COMMANDS[name as CommandName];
    const { help: _help, ...options } = parsed.values;
    const lines = await command.run(db, options);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\nusage: ${COMMANDS[name as CommandName].usage}\n`);
      return 2;
    }
    throw error;
  } finally {
    await closeDatabase(db);
  }
}

process.exitCode = await main(process.argv.slice(2));

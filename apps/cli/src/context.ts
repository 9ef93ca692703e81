/** Options every server command shares, and the client they resolve to. */
import { MljudgeClient } from '@mljudge/client';
import { readLogin } from './config-file.ts';
import type { Output } from './output.ts';

export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  course: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export class MissingLoginError extends Error {
  override name = 'MissingLoginError';
}

/** Flags first, then MLJUDGE_URL / MLJUDGE_TOKEN (for CI), then the saved login. */
export async function clientFrom(
  values: { url?: string | undefined; token?: string | undefined },
  env: NodeJS.ProcessEnv,
): Promise<MljudgeClient> {
  const saved = await readLogin(env);
  const token = values.token ?? env.MLJUDGE_TOKEN ?? saved?.token;
  if (!token) throw new MissingLoginError('No API token: run "mljudge login", pass --token, or set MLJUDGE_TOKEN.');
  return new MljudgeClient(values.url ?? env.MLJUDGE_URL ?? saved?.url ?? DEFAULT_URL, token);
}

export function printJson(output: Output, value: unknown): void {
  output.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Where `mljudge login` keeps the server and token: $XDG_CONFIG_HOME/mljudge/config.json, mode 0600. */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface SavedLogin {
  readonly url: string;
  readonly token: string;
}

export function configPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'mljudge', 'config.json');
}

export async function readLogin(env: NodeJS.ProcessEnv): Promise<SavedLogin | null> {
  try {
    return JSON.parse(await readFile(configPath(env), 'utf8')) as SavedLogin;
  } catch {
    return null;
  }
}

export async function saveLogin(env: NodeJS.ProcessEnv, login: SavedLogin): Promise<string> {
  const file = configPath(env);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // also when the file existed with looser permissions
  return file;
}

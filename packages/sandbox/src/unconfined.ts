/**
 * Runs a request with no sandbox at all, for `mljudge score` on a laptop without bubblewrap: the
 * program is the TA's published code and the file the student's own, so the student runs it as they
 * would run it by hand. Same environment variables (host paths instead of sandbox paths), same wall
 * clock and output bounds; no other limit. The worker never calls this.
 */
import path from 'node:path';
import type { SandboxRequest, SandboxResult } from './bubblewrap.ts';
import { runAndCollect } from './collect.ts';

/** `request.env` may name the sandbox's paths; they are rewritten to the host's. */
export async function runUnconfined(
  request: SandboxRequest,
  sandboxPaths: { readonly programDir: string; readonly submissionPath: string },
): Promise<SandboxResult> {
  const hostPath = (value: string) =>
    value === sandboxPaths.programDir
      ? path.resolve(request.programDir)
      : value === sandboxPaths.submissionPath
        ? path.resolve(request.submissionPath)
        : value;
  const env = Object.fromEntries(Object.entries(request.env).map(([name, value]) => [name, hostPath(value)]));
  const [file, ...args] = request.command;
  return runAndCollect(
    file!,
    args,
    {
      cwd: request.programDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', LANG: 'C.UTF-8', ...env },
    },
    request.limits.wallSeconds,
  );
}

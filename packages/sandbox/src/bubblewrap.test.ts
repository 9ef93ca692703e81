/**
 * The sandbox on its own: what a program inside sees (a scrubbed environment, a private /tmp, its
 * inputs read-only, no host files), and that a machine without bubblewrap is told so instead of
 * running anything unconfined.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeSandbox, runSandboxed, type SandboxRequest } from './bubblewrap.ts';

const limits = { wallSeconds: 30, cpuSeconds: 30, memoryMb: 256, maxProcesses: 16, maxFileMb: 1 };

function request(script: string, env: Record<string, string> = {}): SandboxRequest {
  const programDir = mkdtempSync(path.join(tmpdir(), 'mljudge-sandbox-test-'));
  writeFileSync(path.join(programDir, 'program.sh'), script);
  const submissionPath = path.join(programDir, 'upload.txt');
  writeFileSync(submissionPath, 'the upload\n');
  return { command: ['sh', 'program.sh'], programDir, submissionPath, submissionName: 'upload.txt', env, limits };
}

// The suite needs a working sandbox (.ci/run installs bubblewrap): these fail, not skip, without one.
describe('runSandboxed', () => {
  it('gives the program only the variables it names, and a /tmp of its own', async () => {
    process.env.MLJUDGE_TEST_SECRET = 'a database password';
    const result = await runSandboxed(
      request('env | sort; echo x > /tmp/scratch && cat /tmp/scratch; cat /submission/upload.txt', { GIVEN: 'yes' }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('GIVEN=yes');
    expect(result.stdout).not.toContain('MLJUDGE_TEST_SECRET');
    expect(result.stdout).toContain('HOME=/tmp');
    expect(result.stdout).toContain('x\nthe upload\n');
  });

  it('shows no host files but /usr, and keeps its inputs read-only', async () => {
    const result = await runSandboxed(
      request(
        'ls /; ls /root /home /var 2>&1; echo more >> /submission/upload.txt 2>&1; touch /bundle/program/new 2>&1; exit 0',
      ),
    );
    const listing = result.stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['bundle', 'submission', 'tmp', 'usr', 'proc', 'dev']));
    expect(listing).not.toContain('root');
    expect(result.stdout).toMatch(/ls: cannot access '\/root': No such file or directory/);
    // The shell reports the failed redirect on its own stderr.
    expect(`${result.stdout}${result.stderr}`.match(/Read-only file system/g)).toHaveLength(2);
  });

  it('bounds what it prints: the head of stdout, the tail of stderr', async () => {
    const result = await runSandboxed(
      request(
        'head -c 3000000 /dev/zero | tr "\\0" a; i=0; while [ $i -lt 3000 ]; do echo "line $i" >&2; i=$((i+1)); done',
      ),
    );
    expect(result.stdoutTruncated).toBe(true);
    expect(result.stdout.length).toBe(1024 * 1024);
    expect(result.stderr.length).toBeLessThanOrEqual(16 * 1024);
    expect(result.stderr.trimEnd().endsWith('line 2999')).toBe(true);
  });
});

describe('probeSandbox', () => {
  it('names what is missing when bubblewrap cannot be found', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const probe = await probeSandbox();
      expect(probe).toEqual({ ok: false, reason: expect.stringMatching(/^bwrap is not installed/) });
    } finally {
      process.env.PATH = path;
    }
  });
});

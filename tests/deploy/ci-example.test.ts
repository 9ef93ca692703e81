/** The documented CI workflow must keep using the CLI as it exists: same commands, flags and variables. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '@mljudge/cli';

const workflow = parse(readFileSync(new URL('../../docs/ci/github-actions.yml', import.meta.url), 'utf8')) as {
  jobs: {
    submit: {
      env: Record<string, string>;
      steps: Array<{ name?: string; run?: string; env?: Record<string, string> }>;
    };
  };
};

async function usageOf(command: string[]): Promise<string> {
  let text = '';
  await main(
    [...command, '--help'],
    { stdout: { write: (chunk: string) => (text += chunk) }, stderr: { write: () => undefined } },
    {},
  );
  return text;
}

describe('docs/ci/github-actions.yml', () => {
  it('reads the server and token from secrets through the variables the CLI understands', () => {
    expect(workflow.jobs.submit.env).toEqual({
      MLJUDGE_URL: '${{ secrets.MLJUDGE_URL }}',
      MLJUDGE_TOKEN: '${{ secrets.MLJUDGE_TOKEN }}',
    });
  });

  it('submits with flags the CLI accepts, waits, and fails below a baseline', async () => {
    const submit = workflow.jobs.submit.steps
      .map((step) => step.run ?? '')
      .find((run) => run.includes('mljudge submit'))!;
    for (const flag of ['--wait', '--fail-under', '--idempotency-key', '-m']) expect(submit).toContain(flag);
    const usage = await usageOf(['submit']);
    for (const flag of ['--wait', '--fail-under', '--idempotency-key', '-m']) expect(usage).toContain(flag);
    expect(await usageOf(['limits'])).toContain('mljudge limits TASK');
  });

  it('never pastes an expression into a shell script: untrusted text reaches it through env', () => {
    for (const step of workflow.jobs.submit.steps) expect(step.run ?? '', step.name).not.toContain('${{');
    const submit = workflow.jobs.submit.steps.find((step) => step.run?.includes('mljudge submit'))!;
    expect(submit.env?.COMMIT_MESSAGE).toBe('${{ github.event.head_commit.message }}');
  });

  it('installs the CLI as the one file the server publishes', () => {
    const install = workflow.jobs.submit.steps.find((step) => step.run?.includes('/downloads/mljudge.mjs'));
    expect(install?.run).toContain('$MLJUDGE_URL/downloads/mljudge.mjs');
  });
});

/**
 * A worker on a machine where the sandbox cannot be set up never runs scoring programs: it leaves
 * their queue to workers that can, and says why once, at start.
 */
import { Writable } from 'node:stream';
import { startWorker } from '@mljudge/worker';
import pino from 'pino';
import { expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../support/environment.ts';
import { useTestStack } from '../support/stack.ts';

const stack = useTestStack({ worker: false });

it('refuses the score-program queue, with the reason, when bubblewrap is missing', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent';
  let worker;
  try {
    worker = await startWorker({
      config: stack.config,
      db: stack.database.db,
      redisUrl: TEST_REDIS_URL,
      log: pino({ level: 'info' }, sink),
    });
  } finally {
    process.env.PATH = path;
  }
  try {
    const refusal = lines.find((line) => line.msg === 'not taking scoring programs: the sandbox cannot be set up here');
    expect(refusal).toMatchObject({
      level: 50,
      queue: 'score-program',
      reason: expect.stringMatching(/^bwrap is not installed/),
    });
    const ready = lines.find((line) => line.msg === 'worker ready');
    expect(ready?.queues).toEqual(['score-cpu', 'score-gpu', 'webhooks']);
  } finally {
    await worker.close();
  }
});

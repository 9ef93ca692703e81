/** A Server-Sent Events response: named events, a heartbeat, and a promise that settles on close. */
import type { FastifyReply, FastifyRequest } from 'fastify';

const HEARTBEAT_MS = 15_000;

export interface EventStream {
  send(event: string, data: unknown): void;
  close(): void;
  readonly closed: Promise<void>;
}

export function openStream(request: FastifyRequest, reply: FastifyReply): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
  });
  raw.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let finish!: () => void;
  let ended = false;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  const cleanup = () => {
    ended = true;
    clearInterval(heartbeat);
    finish();
  };
  request.raw.on('close', cleanup);
  return {
    send: (event, data) => {
      if (!ended) raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close: () => {
      if (ended) return;
      cleanup();
      raw.end();
    },
    closed,
  };
}

/** Runs tasks one after another, so events pushed from fresh reads reach the client in order. */
export function serial(): (task: () => Promise<void>) => void {
  let tail = Promise.resolve();
  return (task) => {
    tail = tail.then(task).catch(() => undefined);
  };
}

/** Open streams per user in this process; past the limit a new one is refused (another tab, a loop). */
export class StreamCounter {
  private readonly open = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /** Counts a new stream of `userId` until `closed` settles. */
  admit(userId: string, closed: Promise<void>): void {
    this.open.set(userId, (this.open.get(userId) ?? 0) + 1);
    void closed.then(() => {
      const left = (this.open.get(userId) ?? 1) - 1;
      if (left <= 0) this.open.delete(userId);
      else this.open.set(userId, left);
    });
  }

  full(userId: string): boolean {
    return (this.open.get(userId) ?? 0) >= this.limit;
  }
}

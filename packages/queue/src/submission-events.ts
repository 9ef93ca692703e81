/**
 * "A submission changed status" as a Redis pub/sub message: workers publish when they start scoring one
 * (RUNNING) and after committing its result; every API process subscribes once and fans the events out
 * to waiting requests and SSE streams.
 * Pub/sub may drop messages while a subscriber reconnects, so listeners treat an event as a hint and
 * read the state from Postgres (and `?wait=` still re-checks the database before it answers).
 */
import type { Redis } from 'ioredis';

export interface SubmissionStatusEvent {
  readonly submissionId: string;
  readonly taskId: string;
  readonly userId: string;
  readonly status: 'RUNNING' | 'SCORED' | 'REJECTED' | 'FAILED';
}

const FINAL: ReadonlySet<string> = new Set(['SCORED', 'REJECTED', 'FAILED']);

/** True for the statuses a submission ends in. */
export const isFinalStatus = (status: string) => FINAL.has(status);

const channelOf = (prefix: string) => `${prefix}:events:submission-status`;

export async function publishSubmissionStatus(
  redis: Redis,
  prefix: string,
  event: SubmissionStatusEvent,
): Promise<void> {
  await redis.publish(channelOf(prefix), JSON.stringify(event));
}

type Listener = (event: SubmissionStatusEvent) => void;

/** One subscriber connection per process, shared by every listener. */
export class SubmissionEventHub {
  private readonly listeners = new Set<Listener>();

  private constructor(private readonly subscriber: Redis) {}

  /** Subscribes `subscriber` (a connection of its own: pub/sub mode blocks other commands). */
  static async connect(subscriber: Redis, prefix: string): Promise<SubmissionEventHub> {
    const hub = new SubmissionEventHub(subscriber);
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== channelOf(prefix)) return;
      let event: SubmissionStatusEvent;
      try {
        event = JSON.parse(message) as SubmissionStatusEvent;
      } catch {
        return;
      }
      for (const listener of hub.listeners) listener(event);
    });
    await subscriber.subscribe(channelOf(prefix));
    return hub;
  }

  /** Calls `listener` for every event until the returned function is called. */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when `submissionId` finishes, or with null after `timeoutMs`. */
  waitFor(submissionId: string, timeoutMs: number): Promise<SubmissionStatusEvent | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        stop();
        resolve(null);
      }, timeoutMs);
      const stop = this.listen((event) => {
        if (event.submissionId !== submissionId || !isFinalStatus(event.status)) return;
        clearTimeout(timer);
        stop();
        resolve(event);
      });
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber.disconnect();
  }
}

/** Publishes status events on one connection (the workers' side of the hub). */
export class StatusPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  publish(event: SubmissionStatusEvent): Promise<void> {
    return publishSubmissionStatus(this.redis, this.prefix, event);
  }
}

/**
 * "A task is live for scoring" as a Redis pub/sub message: the API publishes one when a TA's bundle
 * becomes a new task version or a task is shown again, and every worker process has its scoring
 * threads decode that task before the task's first job reaches them. Without the message a worker
 * learns of the task from its first job there, so a message lost while a subscriber reconnects
 * costs one decode in a job, never a score.
 */
import type { Redis } from 'ioredis';

export interface TaskLiveEvent {
  readonly taskId: string;
}

const channelOf = (prefix: string) => `${prefix}:events:task-live`;

/** Publishes task events on one connection (the API's side). */
export class TaskEventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async taskLive(event: TaskLiveEvent): Promise<void> {
    await this.redis.publish(channelOf(this.prefix), JSON.stringify(event));
  }
}

function parseEvent(message: string): TaskLiveEvent | null {
  try {
    const event = JSON.parse(message) as Partial<TaskLiveEvent> | null;
    return typeof event?.taskId === 'string' ? { taskId: event.taskId } : null;
  } catch {
    return null;
  }
}

/**
 * Calls `listener` for every task event, on `subscriber`: a connection of its own, since pub/sub
 * mode blocks other commands; ioredis subscribes it again after a reconnect.
 */
export async function subscribeTaskEvents(
  subscriber: Redis,
  prefix: string,
  listener: (event: TaskLiveEvent) => void,
): Promise<void> {
  subscriber.on('message', (channel: string, message: string) => {
    if (channel !== channelOf(prefix)) return;
    const event = parseEvent(message);
    if (event) listener(event);
  });
  await subscriber.subscribe(channelOf(prefix));
}

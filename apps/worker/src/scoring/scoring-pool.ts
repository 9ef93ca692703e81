/**
 * A fixed pool of scoring threads. One request per thread at a time; a request that exceeds its time
 * limit gets its thread terminated and replaced, and fails with ScoringTimeoutError (an infrastructure
 * error: the job is retried, and a file that always times out ends FAILED, not silently lost).
 * Every thread keeps the same task versions decoded: those preloaded at start, and each one a job
 * has just used, so a task's first job is the only one in this process that waits for its load.
 */
import type { Worker } from 'node:worker_threads';
import { siblingEntry, startThread } from '@mljudge/runtime';
import {
  CACHED_TASKS,
  type PreloadRequest,
  type PreloadResponse,
  type ScoringOutcome,
  type ScoringRequest,
  type ScoringResponse,
} from './protocol.ts';

export class ScoringTimeoutError extends Error {
  override name = 'ScoringTimeoutError';
}

export class ScoringThreadError extends Error {
  override name = 'ScoringThreadError';
}

interface Pending {
  readonly resolve: (outcome: ScoringOutcome) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  pending: Pending | null;
  requestId: number;
  /** Preloads sent and not answered yet, by task version: what to call as each answer comes. */
  readonly unanswered: Map<string, Array<() => void>>;
}

/** Told when a thread could not decode a preloaded task version (its first job there will report). */
export type PreloadFailureListener = (taskKey: string, message: string) => void;

const THREAD_ENTRY = siblingEntry('scoring-thread', import.meta.url);

export type PoolRequest = Omit<ScoringRequest, 'requestId'>;

export class ScoringPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Array<{
    request: PoolRequest;
    resolve: (o: ScoringOutcome) => void;
    reject: (e: Error) => void;
  }> = [];
  private nextRequestId = 1;
  private closed = false;
  /** The task versions every thread should have decoded, newest last; as many as a thread caches. */
  private readonly preloads = new Map<string, PreloadRequest>();
  /** Answers still to come from the threads, for preloadsSettled. */
  private readonly unansweredPreloads = new Set<Promise<void>>();

  constructor(
    size: number,
    private readonly timeoutMs: number,
    private readonly onPreloadFailure: PreloadFailureListener = () => undefined,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startThread(THREAD_ENTRY), pending: null, requestId: 0, unanswered: new Map() };
    // A thread started to replace another decodes what the pool was asked to keep decoded.
    for (const preload of this.preloads.values()) void this.send(slot, preload);
    slot.worker.on('message', (response: ScoringResponse | PreloadResponse) =>
      'kind' in response ? this.preloaded(slot, response) : this.settle(slot, response),
    );
    slot.worker.on('error', (error) => this.crash(slot, error));
    slot.worker.on('exit', (code) => {
      if (!this.closed && code !== 0)
        this.crash(slot, new ScoringThreadError(`scoring thread exited with code ${code}`));
    });
    slot.worker.unref();
    return slot;
  }

  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index === -1 || this.closed) return;
    void slot.worker.terminate();
    this.forgetPreloads(slot);
    this.slots[index] = this.spawn();
    this.drain();
  }

  private crash(slot: Slot, error: Error): void {
    const pending = slot.pending;
    slot.pending = null;
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(new ScoringThreadError(error.message));
    }
    this.replace(slot);
  }

  /** Posts a preload to one thread; settles when that thread has answered it (or is gone). */
  private send(slot: Slot, preload: PreloadRequest): Promise<void> {
    const answered = new Promise<void>((resolve) => {
      const waiting = slot.unanswered.get(preload.taskKey);
      if (waiting) waiting.push(resolve);
      else slot.unanswered.set(preload.taskKey, [resolve]);
      slot.worker.postMessage(preload);
    });
    this.unansweredPreloads.add(answered);
    void answered.then(() => this.unansweredPreloads.delete(answered));
    return answered;
  }

  private preloaded(slot: Slot, response: PreloadResponse): void {
    const waiting = slot.unanswered.get(response.taskKey);
    const resolve = waiting?.shift();
    if (waiting?.length === 0) slot.unanswered.delete(response.taskKey);
    if (response.error !== undefined) this.onPreloadFailure(response.taskKey, response.error);
    resolve?.();
  }

  /** A thread that is gone answers nothing more: whoever waits on its preloads stops waiting. */
  private forgetPreloads(slot: Slot): void {
    for (const waiting of slot.unanswered.values()) for (const resolve of waiting) resolve();
    slot.unanswered.clear();
  }

  private settle(slot: Slot, response: ScoringResponse): void {
    const pending = slot.pending;
    if (!pending || response.requestId !== slot.requestId) return;
    slot.pending = null;
    clearTimeout(pending.timer);
    if ('error' in response)
      pending.reject(new ScoringThreadError(`${response.error.name}: ${response.error.message}`));
    else pending.resolve(response.outcome);
    this.drain();
  }

  private start(
    slot: Slot,
    request: PoolRequest,
    resolve: (o: ScoringOutcome) => void,
    reject: (e: Error) => void,
  ): void {
    const requestId = this.nextRequestId++;
    const timer = setTimeout(() => {
      if (slot.pending?.timer !== timer) return;
      slot.pending = null;
      reject(new ScoringTimeoutError(`Scoring took longer than ${this.timeoutMs} ms.`));
      this.replace(slot);
    }, this.timeoutMs);
    slot.pending = { resolve, reject, timer };
    slot.requestId = requestId;
    slot.worker.postMessage({ ...request, requestId } satisfies ScoringRequest);
  }

  private drain(): void {
    for (const slot of this.slots) {
      if (slot.pending || this.waiting.length === 0) continue;
      const next = this.waiting.shift()!;
      this.start(slot, next.request, next.resolve, next.reject);
    }
  }

  /**
   * Has every thread decode these task versions now, in the background, so that the first job of
   * each after a start or restart does not wait for it (from its snapshot, or its CSV the first time).
   * Settles once every thread has answered (failures go to the pool's PreloadFailureListener).
   */
  preload(tasks: ReadonlyArray<Omit<PreloadRequest, 'kind'>>): Promise<void> {
    // The list can arrive after a quick shutdown: a closed pool has no threads to tell.
    if (this.closed) return Promise.resolve();
    const answers: Array<Promise<void>> = [];
    for (const task of tasks) {
      const preload: PreloadRequest = {
        kind: 'preload',
        taskKey: task.taskKey,
        taskYamlPath: task.taskYamlPath,
        solutionPath: task.solutionPath,
      };
      this.preloads.delete(task.taskKey);
      this.preloads.set(task.taskKey, preload);
      if (this.preloads.size > CACHED_TASKS) this.preloads.delete(this.preloads.keys().next().value!);
      for (const slot of this.slots) answers.push(this.send(slot, preload));
    }
    return Promise.all(answers).then(() => undefined);
  }

  /** Whether the threads keep this task version decoded, or have been asked to. */
  keeps(taskKey: string): boolean {
    return this.preloads.has(taskKey);
  }

  /** Settles once every preload sent so far (by preload() or after a job) has been answered. */
  preloadsSettled(): Promise<void> {
    return Promise.all(this.unansweredPreloads).then(() => undefined);
  }

  /** Scores a submission on the next free thread. */
  run(request: PoolRequest): Promise<ScoringOutcome> {
    if (this.closed) return Promise.reject(new ScoringThreadError('The scoring pool is closed.'));
    return new Promise<ScoringOutcome>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.drain();
    }).then((outcome) => {
      // The task loaded (a rejection is a read of the upload against it): the other threads decode
      // it now, from the snapshot this load left, instead of in the next jobs that land on them.
      if (!this.keeps(request.taskKey)) void this.preload([request]);
      return outcome;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots) this.forgetPreloads(slot);
    for (const waiter of this.waiting.splice(0)) waiter.reject(new ScoringThreadError('The scoring pool is closed.'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }
}

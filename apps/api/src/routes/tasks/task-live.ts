/**
 * Tells the workers that a task is live for scoring, so their scoring threads decode it before its
 * first upload arrives. Best effort: the task is saved whatever Redis says, and a worker that hears
 * nothing loads the task in its first job there, as it would anyway.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Services } from '../../services.ts';

export function announceTaskLive(services: Services, taskId: string, log: FastifyBaseLogger): void {
  services.taskEvents?.taskLive({ taskId }).catch((error: unknown) => {
    log.warn({ err: error, taskId }, 'could not tell the workers of a live task; its first jobs will load it');
  });
}

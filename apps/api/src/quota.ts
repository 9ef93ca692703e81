/** Daily quota for one student on one task, in the course's time zone. */
import { countQuotaUsed } from '@mljudge/db';
import { quotaDay } from '@mljudge/grading';
import type { Services } from './services.ts';

export interface QuotaState {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  readonly dayStart: Date;
  readonly resetsAt: Date;
}

export async function quotaState(services: Services, userId: string, task: { id: string; dailyQuota: number }, timeZone: string, used?: number): Promise<QuotaState> {
  const day = quotaDay(services.now(), timeZone);
  const count = used ?? (await countQuotaUsed(services.db, userId, task.id, day.start));
  return { limit: task.dailyQuota, used: count, remaining: Math.max(0, task.dailyQuota - count), dayStart: day.start, resetsAt: day.resetsAt };
}

export function quotaBody(state: QuotaState) {
  return { limit: state.limit, used: state.used, remaining: state.remaining, resetsAt: state.resetsAt.toISOString() };
}

/** Quota as response headers, so scripts can read it without parsing the body. */
export function quotaHeaders(state: QuotaState): Record<string, string> {
  return {
    'x-quota-limit': String(state.limit),
    'x-quota-remaining': String(state.remaining),
    'x-quota-reset': state.resetsAt.toISOString(),
  };
}

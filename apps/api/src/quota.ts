/** Daily quota for one student on one task, in the course's time zone. */
import { countQuotaUsed, findOverride } from '@mljudge/db';
import { quotaDay } from '@mljudge/grading';
import type { Services } from './services.ts';

export interface QuotaState {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  readonly dayStart: Date;
  readonly resetsAt: Date;
}

/** Quota of one student today; a TA override adds `extraDailySubmissions` to the task's limit. */
export async function quotaState(
  services: Services,
  userId: string,
  task: { id: string; dailyQuota: number },
  timeZone: string,
  used?: number,
): Promise<QuotaState> {
  const day = quotaDay(services.now(), timeZone);
  const [count, override] = await Promise.all([
    used ?? countQuotaUsed(services.db, userId, task.id, day.start),
    findOverride(services.db, task.id, userId),
  ]);
  const limit = task.dailyQuota + (override?.extraDailySubmissions ?? 0);
  return { limit, used: count, remaining: Math.max(0, limit - count), dayStart: day.start, resetsAt: day.resetsAt };
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

/** A student's daily quota on one task, in the course's time zone, from what the database counted. */
export interface QuotaState {
  readonly limit: number;
  readonly used: number;
  readonly remaining: number;
  readonly dayStart: Date;
  readonly resetsAt: Date;
  /** A TA's override raised the limit. */
  readonly extended: boolean;
}

/** Quota from the task's daily limit, a TA's extra submissions and the count used today. */
export function quotaState(
  day: { start: Date; resetsAt: Date },
  dailyLimit: number,
  extraDailySubmissions: number,
  used: number,
): QuotaState {
  const limit = dailyLimit + extraDailySubmissions;
  return {
    limit,
    used,
    remaining: Math.max(0, limit - used),
    dayStart: day.start,
    resetsAt: day.resetsAt,
    extended: extraDailySubmissions > 0,
  };
}

export function quotaBody(state: QuotaState) {
  return {
    limit: state.limit,
    used: state.used,
    remaining: state.remaining,
    resetsAt: state.resetsAt.toISOString(),
    extended: state.extended,
  };
}

/** Quota as response headers, so scripts can read it without parsing the body. */
export function quotaHeaders(state: QuotaState): Record<string, string> {
  return {
    'x-quota-limit': String(state.limit),
    'x-quota-remaining': String(state.remaining),
    'x-quota-reset': state.resetsAt.toISOString(),
  };
}

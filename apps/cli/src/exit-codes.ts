/** Exit statuses scripts can rely on. */
export const EXIT = {
  ok: 0,
  other: 1,
  rejected: 2,
  belowThreshold: 3,
  auth: 4,
  quota: 5,
} as const;

import { describe, expect, it } from 'vitest';
import { quotaDay } from './quota-day.ts';

describe('quotaDay', () => {
  it('resets at midnight UTC+8 for Asia/Taipei', () => {
    const justBefore = quotaDay(new Date('2023-03-03T15:59:59.999Z'), 'Asia/Taipei'); // 23:59:59.999 in Taipei
    expect(justBefore.start.toISOString()).toBe('2023-03-02T16:00:00.000Z');
    expect(justBefore.resetsAt.toISOString()).toBe('2023-03-03T16:00:00.000Z');
    const justAfter = quotaDay(new Date('2023-03-03T16:00:00.000Z'), 'Asia/Taipei');
    expect(justAfter.start.toISOString()).toBe('2023-03-03T16:00:00.000Z');
  });

  it('handles zones with daylight saving time on the day of the change', () => {
    const day = quotaDay(new Date('2023-03-12T18:00:00Z'), 'America/New_York'); // DST starts 2023-03-12
    expect(day.start.toISOString()).toBe('2023-03-12T05:00:00.000Z');
    expect(day.resetsAt.toISOString()).toBe('2023-03-13T04:00:00.000Z');
  });

  it('works for UTC', () => {
    expect(quotaDay(new Date('2024-02-29T12:00:00Z'), 'UTC')).toEqual({
      start: new Date('2024-02-29T00:00:00Z'),
      resetsAt: new Date('2024-03-01T00:00:00Z'),
    });
  });
});

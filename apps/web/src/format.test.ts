import { describe, expect, it } from 'vitest';
import { countdown, formatInZone, formatScore, zonedTimeToIso } from './format.ts';

describe('formatting', () => {
  it('counts down in days, hours and minutes, then seconds in the last day', () => {
    const now = Date.parse('2026-11-27T00:00:00Z');
    expect(countdown('2026-11-30T05:07:30Z', now)).toBe('3d 05h 07m');
    expect(countdown('2026-11-27T01:02:03Z', now)).toBe('01h 02m 03s');
    expect(countdown('2026-11-26T23:59:59Z', now)).toBeNull();
  });

  it('shows deadlines in the course time zone with its offset', () => {
    expect(formatInZone('2026-03-03T15:59:00Z', 'Asia/Taipei')).toBe('3 Mar 2026, 23:59 (GMT+8)');
  });

  it('prints scores without float noise', () => {
    expect(formatScore(0.1 + 0.2)).toBe('0.3');
    expect(formatScore(0.8123456789)).toBe('0.8123457');
    expect(formatScore(1234567.891)).toBe('1234568');
    expect(formatScore(0.00001234)).toBe('1.2340e-5');
  });
});

describe('zonedTimeToIso', () => {
  it("reads the typed time in the course's zone, not the browser's", () => {
    expect(zonedTimeToIso('2025-06-01T23:59', 'Asia/Taipei')).toBe('2025-06-01T15:59:00.000Z');
    expect(zonedTimeToIso('2025-01-15T09:30', 'America/New_York')).toBe('2025-01-15T14:30:00.000Z');
    // Summer time in Berlin (UTC+2), then winter (UTC+1).
    expect(zonedTimeToIso('2025-07-01T12:00', 'Europe/Berlin')).toBe('2025-07-01T10:00:00.000Z');
    expect(zonedTimeToIso('2025-11-01T12:00', 'Europe/Berlin')).toBe('2025-11-01T11:00:00.000Z');
    expect(zonedTimeToIso('2025-03-01T00:00', 'UTC')).toBe('2025-03-01T00:00:00.000Z');
  });
});

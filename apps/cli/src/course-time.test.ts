import { describe, expect, it } from 'vitest';
import { courseTime, relativeTo } from './course-time.ts';

describe('courseTime', () => {
  it("reads in the course's zone with the offset and the distance", () => {
    const now = new Date('2025-12-02T07:59:00Z');
    expect(courseTime('2025-12-09T15:59:00Z', 'Asia/Taipei', now)).toBe('Tue 9 Dec 23:59 GMT+8, in 7 d 8 h');
    expect(courseTime('2025-12-02T10:04:30Z', 'Europe/Berlin', now)).toBe('Tue 2 Dec 11:04 GMT+1, in 2 h 05 min');
  });

  it('says how long ago a past time was', () => {
    expect(relativeTo(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-03T03:00:00Z'))).toBe('2 d 3 h ago');
    expect(relativeTo(new Date('2025-01-01T00:00:30Z'), new Date('2025-01-01T00:00:00Z'))).toBe('in 30 s');
  });
});

import { describe, expect, it } from 'vitest';
import { baselinesPassed, courseTotal, roundScore, submissionWindow, type Baseline } from './index.ts';

const deadline = new Date('2023-03-17T15:59:59Z'); // 23:59:59 in Taipei
const lateUntil = new Date('2023-03-19T15:59:59Z');

describe('submissionWindow', () => {
  const rules = { opensAt: new Date('2023-03-01T00:00:00Z'), deadline, lateUntil, latePolicy: 'penalty' as const };
  it('is not open before opensAt, open until the deadline, late in the window, closed after', () => {
    expect(submissionWindow(new Date('2023-02-28T00:00:00Z'), rules).state).toBe('not-open');
    expect(submissionWindow(new Date(deadline.getTime() - 1), rules).state).toBe('open');
    expect(submissionWindow(deadline, rules)).toEqual({ state: 'late', deadline, policy: 'penalty' });
    expect(submissionWindow(lateUntil, rules).state).toBe('closed');
  });

  it('refuses late uploads under the refuse policy, and honours a per-student extension', () => {
    expect(submissionWindow(deadline, { ...rules, latePolicy: 'refuse' }).state).toBe('closed');
    const extended = new Date('2023-03-18T15:59:59Z');
    expect(submissionWindow(new Date('2023-03-18T00:00:00Z'), rules, extended).state).toBe('open');
  });
});

describe('baselinesPassed', () => {
  const hw6: Baseline[] = [
    { name: 'simple', public: { fid: 30000, afd: 0 }, private: { fid: 30000, afd: 0 }, points: 0.5 },
    { name: 'boss', public: { fid: 9000, afd: 0.6 }, private: { fid: 9000, afd: 0.6 }, points: 0.5 },
  ];
  const directions = { fid: 'lower', afd: 'higher' } as const;
  it('needs every threshold of a conjunctive baseline, each in its own direction', () => {
    expect(baselinesPassed(hw6, 'public', { fid: 8000, afd: 0.59 }, directions)).toEqual({
      names: ['simple'],
      points: 0.5,
    });
    expect(baselinesPassed(hw6, 'public', { fid: 8000, afd: 0.6 }, directions)).toEqual({
      names: ['simple', 'boss'],
      points: 1,
    });
    expect(baselinesPassed(hw6, 'public', null, directions)).toEqual({ names: [], points: 0 });
  });

  it('uses the private thresholds on the private board', () => {
    const baselines: Baseline[] = [
      { name: 'strong', public: { accuracy: 0.75 }, private: { accuracy: 0.8 }, points: 0.5 },
    ];
    expect(baselinesPassed(baselines, 'public', { accuracy: 0.78 }, { accuracy: 'higher' }).names).toEqual(['strong']);
    expect(baselinesPassed(baselines, 'private', { accuracy: 0.78 }, { accuracy: 'higher' }).names).toEqual([]);
  });
});

describe('courseTotal and roundScore', () => {
  it('counts the best N tasks', () => {
    expect(courseTotal([4, 1, 3, 0, 2], 3)).toBe(9);
    expect(courseTotal([4, 1, 3], null)).toBe(8);
  });

  it('rounds to the task precision', () => {
    expect(roundScore(0.123456789, 4)).toBe(0.1235);
    expect(roundScore(0.123456789, null)).toBe(0.123456789);
  });
});

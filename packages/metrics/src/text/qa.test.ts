import { describe, expect, it } from 'vitest';
import { answerF1, exactMatch, normalizeAnswer } from './qa.ts';

describe('QA answer normalisation', () => {
  it('follows the SQuAD v1.1 evaluator: lower-case, no punctuation, no articles, single spaces', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, in Paris! ', 'squad')).toBe('eiffeltower in paris');
    expect(normalizeAnswer('an apple a day', 'squad')).toBe('apple day');
    expect(normalizeAnswer('theater', 'squad')).toBe('theater');
  });

  it('drops Chinese punctuation and all whitespace for zh', () => {
    expect(normalizeAnswer('「臺北 市」。', 'zh')).toBe('臺北市');
  });

  it('scores exact match against the best of several references', () => {
    expect(
      exactMatch(
        ['Paris', 'rome'],
        [
          ['paris', 'Milan'],
          [null, 'Rome.'],
        ],
      ),
    ).toBe(1);
    expect(exactMatch(['Paris', 'rome'], [['paris', 'Milan']])).toBe(0.5);
  });

  it('gives partial token credit with F1 and character credit for zh', () => {
    expect(answerF1(['the big red dog'], [['red dog']])).toBeCloseTo((2 * (2 / 3) * 1) / (2 / 3 + 1), 12);
    expect(answerF1(['臺北市'], [['臺北']], 'zh')).toBeCloseTo(0.8, 12);
  });
});

/**
 * Golden values from sacreBLEU 2.6.0 (copied into packages/metrics/fixtures): 60 generated corpora over every tokenizer
 * and smoothing method, and the values published in sacreBLEU's own test suite.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { corpusBleu, sentenceBleu, type SmoothMethod } from './bleu.ts';
import { bleuTokenizer, type BleuTokenizerName } from './bleu-tokenizers.ts';

// Copied from the course's oracle files (sacreBLEU 2.6.0 output) into this package's fixtures.
const oracles = fileURLToPath(new URL('../../fixtures/', import.meta.url));

interface GeneratedCase {
  hypotheses: string[];
  references: string[][];
  tokenize: BleuTokenizerName;
  smooth_method: SmoothMethod;
  lowercase: boolean;
  corpus_bleu: number;
  counts: number[];
  totals: number[];
  sys_len: number;
  ref_len: number;
  sentence_bleu_effective_order: number[] | null;
}

const generated = JSON.parse(readFileSync(`${oracles}sacrebleu-cases.json`, 'utf8')) as { cases: GeneratedCase[] };
const published = JSON.parse(readFileSync(`${oracles}sacrebleu-published.json`, 'utf8')) as {
  corpus: Array<{
    hypotheses: string[];
    references: string[][];
    options: { tokenize?: BleuTokenizerName; smooth_method?: SmoothMethod };
    bleu: number;
  }>;
  sentence_effective_order: {
    hypothesis: string;
    reference: string;
    tolerance: number;
    cases: Array<{
      smooth_method: SmoothMethod;
      smooth_value?: number;
      tokenize: BleuTokenizerName;
      lowercase: boolean;
      bleu: number;
    }>;
  };
};

describe('corpusBleu against sacreBLEU 2.6.0 generated cases', () => {
  it.each(generated.cases.map((c, index) => [index, c.tokenize, c.smooth_method, c.lowercase, c] as const))(
    'case %i (tokenize=%s, smooth=%s, lowercase=%s)',
    (_index, _tokenize, _smooth, _lowercase, c) => {
      const result = corpusBleu(c.hypotheses, c.references, {
        tokenize: c.tokenize,
        smoothMethod: c.smooth_method,
        lowercase: c.lowercase,
      });
      expect(Math.abs(result.score - c.corpus_bleu)).toBeLessThan(1e-9);
      expect(result.counts).toEqual(c.counts);
      expect(result.totals).toEqual(c.totals);
      expect(result.sysLen).toBe(c.sys_len);
      expect(result.refLen).toBe(c.ref_len);
      if (c.sentence_bleu_effective_order) {
        c.hypotheses.forEach((hypothesis, i) => {
          const references = c.references.map((stream) => stream[i]!);
          const sentence = sentenceBleu(hypothesis, references, {
            tokenize: c.tokenize,
            smoothMethod: c.smooth_method,
            lowercase: c.lowercase,
            effectiveOrder: true,
          });
          expect(Math.abs(sentence.score - c.sentence_bleu_effective_order![i]!)).toBeLessThan(1e-9);
        });
      }
    },
  );
});

describe('BLEU against values published in sacreBLEU test suite', () => {
  it.each(published.corpus.map((c, index) => [index, JSON.stringify(c.options), c] as const))(
    'corpus case %i %s',
    (_index, _options, c) => {
      const result = corpusBleu(c.hypotheses, c.references, {
        ...(c.options.tokenize ? { tokenize: c.options.tokenize } : {}),
        ...(c.options.smooth_method ? { smoothMethod: c.options.smooth_method } : {}),
      });
      expect(result.score).toBeCloseTo(c.bleu, 5);
    },
  );

  const sentence = published.sentence_effective_order;
  it.each(
    sentence.cases.map((c) => [c.tokenize, c.smooth_method, c.smooth_value ?? 'default', c.lowercase, c] as const),
  )('sentence BLEU tokenize=%s smooth=%s value=%s lowercase=%s', (_t, _s, _v, _l, c) => {
    const result = sentenceBleu(sentence.hypothesis, [sentence.reference], {
      tokenize: c.tokenize,
      smoothMethod: c.smooth_method,
      ...(c.smooth_value !== undefined ? { smoothValue: c.smooth_value } : {}),
      lowercase: c.lowercase,
      effectiveOrder: true,
    });
    expect(Math.abs(result.score - c.bleu)).toBeLessThanOrEqual(sentence.tolerance);
  });
});

describe('BLEU invariants', () => {
  it('scores identical corpora 100 with every tokenizer', () => {
    const corpus = ['the cat sat on the mat .', '我們今天去學校。', 'Hello, world! 3.5 e-mail'];
    for (const tokenize of ['13a', 'intl', 'zh', 'char', 'none'] as const) {
      expect(corpusBleu(corpus, [corpus], { tokenize }).score).toBeCloseTo(100, 10);
    }
  });

  it('treats U+2001..U+2A6D as Chinese under zh, as the sacreBLEU range table does', () => {
    // "“word”" splits around the curly quotes only because of that quirk.
    const result = corpusBleu(['“word”'], [['“ word ”']], { tokenize: 'zh' });
    expect(result.score).toBeCloseTo(0, 10); // 3 tokens: only unigrams, so BLEU-4 is 0 without smoothing gains
    expect(result.counts[0]).toBe(3);
  });

  it('rejects reference streams of the wrong length', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(/1 segments but there are 2/);
  });
});

describe('zh tokenizer ranges', () => {
  const zh = (text: string) => bleuTokenizer('zh')(text);
  it('splits around characters in U+2001..U+2A6D (an em dash) but not U+2A6E, as Python string comparison in sacreBLEU does', () => {
    expect(zh('a\u2014b')).toBe('a \u2014 b');
    expect(zh('a\u2a6db')).toBe('a \u2a6d b');
    expect(zh('a\u2a6eb')).toBe('a\u2a6eb');
    // (The other quirky bound, U+2F81..U+2FA1, lies inside the Kangxi Radicals range anyway.)
  });

  it('does not treat astral CJK (Extension B) as Chinese, again as sacreBLEU does', () => {
    expect(zh('a\u{20000}b')).toBe('a\u{20000}b');
  });
});

/**
 * The tokenizers of sacreBLEU 2.x (`13a`, `intl`, `zh`, `char`, `none`), reimplemented from their
 * documented behaviour. Each returns the tokenized line as one string with single spaces, exactly as
 * sacreBLEU does, so that n-gram extraction afterwards is a whitespace split.
 */
import { pythonSplit, pythonStrip } from './python-text.ts';

export type BleuTokenizerName = '13a' | 'intl' | 'zh' | 'char' | 'none';
export const BLEU_TOKENIZERS: readonly BleuTokenizerName[] = ['13a', 'intl', 'zh', 'char', 'none'];

// mteval-v13a's rules as sacreBLEU's TokenizerRegexp applies them, in order.
const MTEVAL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // ASCII punctuation and symbols except apostrophe, hyphen, period and comma
  [/([{-~[-` -&(-+:-@/])/gu, ' $1 '],
  // period and comma unless preceded by a digit
  [/([^0-9])([.,])/gu, '$1 $2 '],
  // period and comma unless followed by a digit
  [/([.,])([^0-9])/gu, ' $1 $2'],
  // dash when preceded by a digit
  [/([0-9])(-)/gu, '$1 $2 '],
];

function joinWords(line: string): string {
  return pythonSplit(line).join(' ');
}

function mtevalRules(line: string): string {
  let result = line;
  for (const [pattern, replacement] of MTEVAL_RULES) result = result.replace(pattern, replacement);
  return joinWords(result);
}

function tokenize13a(line: string): string {
  const unescaped = line
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
  return mtevalRules(` ${unescaped} `);
}

const INTL_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/(\P{N})(\p{P})/gu, '$1 $2 '],
  [/(\p{P})(\P{N})/gu, ' $1 $2'],
  [/(\p{S})/gu, ' $1 '],
];

function tokenizeIntl(line: string): string {
  let result = line;
  for (const [pattern, replacement] of INTL_RULES) result = result.replace(pattern, replacement);
  return joinWords(result);
}

/**
 * sacreBLEU's table of "Chinese" ranges, compared as Python strings. Two bounds were meant as astral
 * code points but are written as a BMP character followed by a digit ('\u20000' is U+2000 then '0'),
 * so under Python's string comparison they cover U+2001..U+2A6D and U+2F81..U+2FA1 instead. The quirk
 * is part of what the reference computes (curly quotes and dashes count as Chinese), so it is kept.
 */
const ZH_RANGES: ReadonlyArray<readonly [string, string]> = [
  ['\u3400', '\u4db5'],
  ['\u4e00', '\u9fa5'],
  ['\u9fa6', '\u9fbb'],
  ['\uf900', '\ufa2d'],
  ['\ufa30', '\ufa6a'],
  ['\ufa70', '\ufad9'],
  ['\u2000' + '0', '\u2a6d' + '6'],
  ['\u2f80' + '0', '\u2fa1' + 'd'],
  ['\uff00', '\uffef'],
  ['\u2e80', '\u2eff'],
  ['\u3000', '\u303f'],
  ['\u31c0', '\u31ef'],
  ['\u2f00', '\u2fdf'],
  ['\u2ff0', '\u2fff'],
  ['\u3100', '\u312f'],
  ['\u31a0', '\u31bf'],
  ['\ufe10', '\ufe1f'],
  ['\ufe30', '\ufe4f'],
  ['\u2600', '\u26ff'],
  ['\u2700', '\u27bf'],
  ['\u3200', '\u32ff'],
  ['\u3300', '\u33ff'],
];

/**
 * The code point range a (start, end) pair of Python strings admits for a single character c under
 * `start <= c <= end`: a bound longer than one character is greater than its first character alone,
 * so a two-character start excludes its first code point and a two-character end includes it.
 */
function codePointRange([start, end]: readonly [string, string]): [number, number] {
  const first = Array.from(start);
  const last = Array.from(end);
  return [first[0]!.codePointAt(0)! + (first.length > 1 ? 1 : 0), last[0]!.codePointAt(0)!];
}

const hex = (codePoint: number) => `\\u{${codePoint.toString(16)}}`;
const ZH_CHARACTER = new RegExp(
  `[${ZH_RANGES.map(codePointRange)
    .map(([from, to]) => `${hex(from)}-${hex(to)}`)
    .join('')}]`,
  'gu',
);

function tokenizeZh(line: string): string {
  return mtevalRules(pythonStrip(line).replace(ZH_CHARACTER, ' $& '));
}

function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/** Returns sacreBLEU's tokenizer of that name. */
export function bleuTokenizer(name: BleuTokenizerName): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'intl':
      return tokenizeIntl;
    case 'zh':
      return tokenizeZh;
    case 'char':
      return tokenizeChar;
    case 'none':
      return (line) => line;
  }
}

/**
 * Python's notion of whitespace (`str.split()`, `str.strip()`), which differs from JavaScript's `\s`:
 * Python also splits on U+001C..U+001F and U+0085, and does not split on U+FEFF. Reference
 * implementations written in Python (sacreBLEU, SQuAD's evaluator) tokenise with these rules.
 */
const WHITESPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPLIT = new RegExp(`[${WHITESPACE}]+`, 'u');
const LEADING = new RegExp(`^[${WHITESPACE}]+`, 'u');
const TRAILING = new RegExp(`[${WHITESPACE}]+$`, 'u');

/** `s.split()` */
export function pythonSplit(text: string): string[] {
  const parts = text.split(SPLIT);
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** `s.rstrip()` */
export function pythonRstrip(text: string): string {
  return text.replace(TRAILING, '');
}

/** `s.strip()` */
export function pythonStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}

/**
 * The written form of people's identities. Emails are the sign-in name, so two that look the same must
 * be the same: they are NFKC-normalised and lower-cased, and invisible or control characters (a
 * zero-width space makes `student1@demo` a different account that looks identical) are refused.
 * Display names appear on public boards: control characters and bidirectional overrides, which can
 * make a name read as something else, are refused too.
 */

// Cc: controls (NUL, CR, LF, ...); Cf: invisible format characters (zero-width, bidi overrides, BOM).
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;
const CONTROLS = /[\p{Cc}\u2028\u2029]/u;
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/u;

/** The stored form of an email: trimmed, NFKC, lower case. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/** Why `email` (already normalised) cannot be an account's email, or null when it can. */
export function emailProblem(email: string): string | null {
  if (INVISIBLE.test(email)) return 'contains an invisible or control character';
  if (email.length > 320 || !EMAIL.test(email)) return 'is not an email address';
  return null;
}

/** Why `name` (trimmed) cannot be shown as a display name, or null when it can. */
export function displayNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 120) return 'must have 1 to 120 characters';
  if (CONTROLS.test(name)) return 'contains a control character (a line break, a tab, NUL, ...)';
  if (BIDI_CONTROLS.test(name)) return 'contains a character that reverses the direction of text';
  return null;
}

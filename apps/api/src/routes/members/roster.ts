/**
 * Reads a course roster CSV (`email,name[,role][,password]`, header first, any column order) into
 * entries, or throws a problem naming the line, the column and what was expected.
 */
import { CsvScanner, preview, SubmissionRejection, type RejectionDetail } from '@mljudge/formats';
import {
  displayNameProblem,
  emailProblem,
  MIN_PASSWORD_LENGTH,
  normalizeEmail,
  passwordProblem,
  type RosterEntry,
} from '@mljudge/db';
import { AppError } from '../../problems/app-error.ts';

const COLUMNS = ['email', 'name', 'role', 'password'] as const;
const REQUIRED = ['email', 'name'] as const;
const ROLES: Record<string, RosterEntry['role']> = { student: 'STUDENT', ta: 'TA', admin: 'ADMIN' };
export const MAX_ROSTER_ROWS = 5000;

function rosterProblem(detail: Omit<RejectionDetail, 'code'> & { pointer?: string }): AppError {
  const { message, code: _code, ...extensions } = detail as RejectionDetail;
  return new AppError('ROSTER_INVALID', message, extensions);
}

/** Where a field is, for the problem document: a CSV line and column, or a JSON pointer. */
type Locate = (field: 'email' | 'name' | 'role' | 'password') => Partial<RejectionDetail> & { pointer?: string };

/** Checks one person's fields (raw text) and returns the entry, or throws a problem pointing at the field. */
export function checkEntry(
  raw: { email: string; name: string; role?: string | undefined; password?: string | undefined },
  at: Locate,
): RosterEntry {
  const email = normalizeEmail(raw.email);
  const emailIssue = emailProblem(email);
  if (emailIssue)
    throw rosterProblem({
      message: `"${preview(email)}" ${emailIssue}.`,
      ...at('email'),
      expected: 'an email address like b11901001@ntu.edu.tw',
      found: preview(email),
    });
  const displayName = raw.name.trim();
  const nameIssue = displayNameProblem(displayName);
  if (nameIssue)
    throw rosterProblem({
      message: `The name ${nameIssue}.`,
      ...at('name'),
      expected: "the person's name, 1 to 120 characters",
      found: preview(displayName),
    });
  const roleText = (raw.role ?? '').trim().toLowerCase() || 'student';
  const role = ROLES[roleText];
  if (!role)
    throw rosterProblem({
      message: `"${roleText}" is not a role.`,
      ...at('role'),
      expected: 'student, ta or admin',
      found: roleText,
    });
  const password = raw.password ?? '';
  const passwordIssue = password === '' ? null : passwordProblem(password);
  if (passwordIssue)
    throw rosterProblem({
      message: `The password ${passwordIssue}; leave it empty to generate one.`,
      ...at('password'),
      expected: `${MIN_PASSWORD_LENGTH}+ characters or empty`,
    });
  return { email, displayName, role, password: password === '' ? undefined : password };
}

/** Checks people sent as JSON; problems carry a JSON pointer to the field. */
export function checkMembers(
  members: ReadonlyArray<{ email: string; name: string; role?: string | undefined; password?: string | undefined }>,
): RosterEntry[] {
  const seen = new Set<string>();
  return members.map((member, index) => {
    const entry = checkEntry(member, (field) => ({ pointer: `/members/${index}/${field}` }));
    if (seen.has(entry.email))
      throw rosterProblem({
        message: `${entry.email} is listed twice.`,
        pointer: `/members/${index}/email`,
        found: entry.email,
      });
    seen.add(entry.email);
    return entry;
  });
}

export function parseRoster(text: string): RosterEntry[] {
  const scanner = new CsvScanner(Buffer.from(text, 'utf8'), COLUMNS.length + 8);
  const expectedHeader = 'email,name[,role][,password]';
  try {
    if (!scanner.next()) throw rosterProblem({ message: 'The roster is empty.', line: 1, expected: expectedHeader });
    const header = Array.from({ length: Math.min(scanner.fieldCount, scanner.capacity) }, (_, i) =>
      scanner.text(i).trim().toLowerCase(),
    );
    const position = new Map<string, number>();
    header.forEach((name, index) => {
      if (!(COLUMNS as readonly string[]).includes(name) || position.has(name)) {
        throw rosterProblem({
          message: `Column "${name}" is ${position.has(name) ? 'repeated' : 'not one of ' + COLUMNS.join(', ')}.`,
          line: scanner.line,
          column: index + 1,
          expected: expectedHeader,
          found: name,
        });
      }
      position.set(name, index);
    });
    for (const name of REQUIRED) {
      if (!position.has(name))
        throw rosterProblem({
          message: `The header lacks the "${name}" column.`,
          line: scanner.line,
          expected: expectedHeader,
          found: header.join(','),
        });
    }
    const entries: RosterEntry[] = [];
    const seen = new Map<string, number>();
    while (scanner.next()) {
      const line = scanner.line;
      if (scanner.fieldCount !== header.length) {
        throw rosterProblem({
          message: `Line ${line} has ${scanner.fieldCount} fields; the header has ${header.length}.`,
          line,
          expected: `${header.length} fields: ${header.join(',')}`,
        });
      }
      const field = (name: string) => (position.has(name) ? scanner.text(position.get(name)!).trim() : '');
      const entry = checkEntry(
        { email: field('email'), name: field('name'), role: field('role'), password: field('password') },
        (name) => ({ line, column: position.get(name)! + 1, columnName: name }),
      );
      if (seen.has(entry.email))
        throw rosterProblem({
          message: `${entry.email} is listed twice (first on line ${seen.get(entry.email)}).`,
          line,
          column: position.get('email')! + 1,
          columnName: 'email',
          found: entry.email,
        });
      seen.set(entry.email, line);
      entries.push(entry);
      if (entries.length > MAX_ROSTER_ROWS)
        throw rosterProblem({ message: `A roster may list at most ${MAX_ROSTER_ROWS} people; split it.`, line });
    }
    if (entries.length === 0)
      throw rosterProblem({
        message: 'The roster has a header but nobody in it.',
        line: scanner.line + 1,
        expected: 'one person per line',
      });
    return entries;
  } catch (error) {
    if (error instanceof SubmissionRejection) throw rosterProblem({ ...error.detail, message: error.detail.message });
    throw error;
  }
}

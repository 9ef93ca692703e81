/** Text for people: problems with what to do next, scores, and small tables. */
import type { Problem, Submission } from '@mljudge/client';

const HINTS: Record<string, string> = {
  UNAUTHENTICATED: 'Run "mljudge login" or set MLJUDGE_TOKEN.',
  TOKEN_INVALID: 'The token is unknown, revoked or expired: create a new one and run "mljudge login" again.',
  QUOTA_EXCEEDED: 'Wait for the quota to reset, or ask a TA for an override.',
  UPLOAD_TOO_LARGE: 'Check that you are uploading the prediction file, not a model or an archive.',
  RATE_LIMITED: 'Slow down: retry after the time given.',
  QUEUE_UNAVAILABLE: 'Nothing was stored; retry in a few seconds.',
  TASK_AMBIGUOUS: 'Add --course with one of the courses listed.',
};

/** A problem's extension member as text, when the server sent a string or a number. */
function extension(problem: Problem, name: string): string | undefined {
  const value = problem[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function renderProblem(problem: Problem): string {
  const lines = [`error: ${problem.detail} [${problem.code}]`];
  const line = extension(problem, 'line');
  const column = extension(problem, 'column');
  const columnName = extension(problem, 'columnName');
  if (line !== undefined) {
    const where = column === undefined ? '' : `, column ${column}${columnName ? ` (${columnName})` : ''}`;
    lines.push(`  at line ${line}${where}`);
  }
  const expected = extension(problem, 'expected');
  const found = extension(problem, 'found');
  if (expected !== undefined) lines.push(`  expected: ${expected}`);
  if (found !== undefined) lines.push(`  found: ${found}`);
  const hint = HINTS[problem.code];
  if (hint) lines.push(`  hint: ${hint}`);
  return `${lines.join('\n')}\n`;
}

export function formatScore(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

export function renderSubmission(submission: Submission): string {
  const lines = [
    `${submission.id}  ${submission.task}  ${submission.status}${submission.late ? ' (late)' : ''}${submission.selected ? ' (selected)' : ''}`,
  ];
  if (submission.public)
    lines.push(
      `  public:  ${Object.entries(submission.public.metrics)
        .map(([name, value]) => `${name} ${formatScore(value)}`)
        .join(', ')}`,
    );
  if (submission.private)
    lines.push(
      `  private: ${Object.entries(submission.private.metrics)
        .map(([name, value]) => `${name} ${formatScore(value)}`)
        .join(', ')}`,
    );
  if (submission.status === 'SCORED')
    lines.push(
      `  baselines passed: ${submission.baselines.public.length > 0 ? submission.baselines.public.join(', ') : 'none'}`,
    );
  if (submission.error) lines.push(renderProblem(submission.error).trimEnd().replace(/^/gm, '  '));
  return `${lines.join('\n')}\n`;
}

export function table(rows: ReadonlyArray<readonly string[]>): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** A problem document for a person: what went wrong, and where in the file (line, column, expected). */
import type { Problem } from '../types.ts';

export function ProblemMessage({ problem, title }: { problem: Problem; title?: string }) {
  const where = [
    problem.line !== undefined ? `line ${problem.line}` : null,
    problem.column !== undefined
      ? `column ${problem.column}${problem.columnName ? ` (${problem.columnName})` : ''}`
      : null,
    problem.pointer ? `field ${problem.pointer}` : null,
  ].filter(Boolean);
  return (
    <div className="problem" role="alert">
      <p className="problem-title">
        <strong>{title ?? problem.title ?? 'Error'}</strong> <code className="problem-code">{problem.code}</code>
      </p>
      <p>{problem.detail}</p>
      {(where.length > 0 || problem.expected || problem.found) && (
        <dl className="problem-where">
          {where.length > 0 && (
            <>
              <dt>Where</dt>
              <dd data-testid="problem-where">{where.join(', ')}</dd>
            </>
          )}
          {problem.expected && (
            <>
              <dt>Expected</dt>
              <dd>
                <code>{problem.expected}</code>
              </dd>
            </>
          )}
          {problem.found && (
            <>
              <dt>Found</dt>
              <dd>
                <code>{problem.found}</code>
              </dd>
            </>
          )}
        </dl>
      )}
    </div>
  );
}

/** What a page shows when its data cannot be loaded, with the HTTP status (403, 404) up front. */
export function LoadError({ problem }: { problem: Problem }) {
  const heading =
    problem.status === 403 ? 'Not allowed' : problem.status === 404 ? 'Not found' : 'Could not load this page';
  return (
    <section className="card" aria-labelledby="load-error">
      <h1 id="load-error">{heading}</h1>
      <p className="muted">HTTP {problem.status || 'error'}</p>
      <ProblemMessage problem={problem} />
    </section>
  );
}

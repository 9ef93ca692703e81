/**
 * The board: public (private for TAs, and for everyone after the reveal), baseline rows drawn between
 * the entries they separate, the user's own row marked, search and paging, and live refresh when a
 * new score lands (SSE "leaderboard" events are hints; the page refetches what it shows).
 * Next pages follow the server's `next` cursor (an index read however deep the page); a jump to a
 * rank, and Previous past the pages walked, page by offset.
 */
import { Fragment, useEffect, useState } from 'react';
import { taskPath } from '../api.ts';
import { LoadError } from '../components/ProblemMessage.tsx';
import { formatLocal, formatScore, metricLabel } from '../format.ts';
import { useEventStream, useResource } from '../hooks.ts';
import type { Leaderboard, LeaderboardRow, Task } from '../types.ts';

const PAGE = 50;

/** Where the page starts: by offset, or after a cursor with the row before it already known. */
interface Position {
  readonly offset: number;
  readonly after?: string;
  readonly previous?: LeaderboardRow;
}

export function LeaderboardView({ task, staff }: { task: Task; staff: boolean }) {
  const revealed = task.revealAt !== null && new Date(task.revealAt).getTime() <= Date.now();
  const [split, setSplit] = useState<'public' | 'private'>('public');
  const [position, setPosition] = useState<Position>({ offset: 0 });
  // Positions walked with Next, for Previous to retrace by cursor.
  const [trail, setTrail] = useState<Position[]>([]);
  const offset = position.offset;
  const setOffset = (next: number) => {
    setPosition({ offset: next });
    setTrail([]);
  };
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  // Debounce typing so a search is one request, not one per key.
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setQuery(search.trim());
      setOffset(0);
    }, 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  // One row before the page, to know whether a baseline line falls right at its top (known already
  // when the page was reached by cursor).
  const before = offset > 0 && !position.after ? 1 : 0;
  const board = useResource<Leaderboard>(
    taskPath(
      task.course,
      task.slug,
      '/leaderboard',
      position.after
        ? { split, limit: PAGE, after: position.after, q: query }
        : { split, limit: PAGE + before, offset: offset - before, q: query },
    ),
    { keepPrevious: true },
  );
  const live = useEventStream(taskPath(task.course, task.slug, '/leaderboard/events'), 'leaderboard', () =>
    board.reload(),
  );
  const data = board.data;
  const rows = data ? data.rows.slice(before) : [];
  const previous = position.after ? position.previous : data && before ? data.rows[0] : undefined;
  const goNext = () => {
    if (data?.next && rows.length > 0) {
      setTrail([...trail, position]);
      setPosition({ offset: offset + PAGE, after: data.next, previous: rows.at(-1)! });
    } else setOffset(offset + PAGE);
  };
  const goPrevious = () => {
    const back = trail.at(-1);
    if (back) {
      setTrail(trail.slice(0, -1));
      setPosition(back);
    } else setOffset(Math.max(0, offset - PAGE));
  };
  // The heading names the board whose rows are on screen: while the other split loads, the old rows
  // stay (no jump), so the heading must not claim them for the new one.
  const shown = data?.split ?? split;
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  const page = Math.floor(offset / PAGE) + 1;

  return (
    <section className="card" aria-labelledby="board-title">
      <div className="board-head">
        <h2 id="board-title">{shown === 'public' ? 'Public' : 'Private'} leaderboard</h2>
        <span className={`live live-${live}`} role="status">
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline'}
        </span>
      </div>
      <p className="muted small">
        {metricLabel(task.metric.name, task.direction)} · best score per student
        {shown === 'private' ? ' among their final selection' : ''}
      </p>
      <div className="board-controls">
        {(staff || revealed) && (
          <fieldset className="segmented">
            <legend className="sr-only">Board</legend>
            {(['public', 'private'] as const).map((name) => (
              <label key={name} className={split === name ? 'on' : ''}>
                <input
                  type="radio"
                  name="split"
                  value={name}
                  checked={split === name}
                  onChange={() => {
                    setSplit(name);
                    setOffset(0);
                  }}
                />
                {name === 'public' ? 'Public' : 'Private'}
              </label>
            ))}
          </fieldset>
        )}
        <label className="search">
          <span className="sr-only">Search students</span>
          <input
            type="search"
            placeholder="Search students"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
          />
        </label>
        {data?.me && (
          <button
            type="button"
            onClick={() => {
              setSearch('');
              setQuery('');
              setOffset(Math.floor((data.me!.rank - 1) / PAGE) * PAGE);
            }}
          >
            My rank: {data.me.rank}
          </button>
        )}
      </div>
      {board.error ? (
        <LoadError problem={board.error} />
      ) : (
        <div className="table-wrap board-wrap" aria-busy={board.loading}>
          <table className="board">
            <caption className="sr-only">
              Ranks {offset + 1} to {offset + rows.length} of {data?.total ?? 0}
            </caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">Student</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num hide-phone">
                  Entries
                </th>
                <th scope="col" className="hide-phone">
                  Last improved
                </th>
              </tr>
            </thead>
            <tbody>
              {data === undefined ? (
                <tr>
                  <td colSpan={5} className="muted">
                    Loading…
                  </td>
                </tr>
              ) : rows.length === 0 ? (
                <tr>
                  <td colSpan={5} className="muted">
                    {query ? `Nobody matches "${query}".` : 'No scores yet.'}
                  </td>
                </tr>
              ) : (
                rows.map((row, index) => (
                  <Fragment key={`${row.rank}-${row.displayName}`}>
                    {linesAbove(data, index === 0 ? previous : rows[index - 1], row).map((line) => (
                      <BaselineRow key={line.name} name={line.name} value={line.value} />
                    ))}
                    <tr className={row.isMe ? 'me' : undefined} aria-current={row.isMe ? 'true' : undefined}>
                      <td className="num">{row.rank}</td>
                      <td>
                        {row.displayName}
                        {row.isMe && <span className="you"> (you)</span>}
                      </td>
                      <td className="num score">{formatScore(row.value)}</td>
                      <td className="num hide-phone">{row.submissions}</td>
                      <td className="hide-phone">{formatLocal(row.submittedAt)}</td>
                    </tr>
                    {index === rows.length - 1 &&
                      offset + rows.length >= data.total &&
                      linesBelow(data, row).map((line) => (
                        <BaselineRow key={line.name} name={line.name} value={line.value} />
                      ))}
                  </Fragment>
                ))
              )}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Leaderboard pages">
        <button type="button" disabled={page <= 1} onClick={goPrevious}>
          Previous
        </button>
        <span>
          Page {page} of {pages} · {data?.total ?? 0} {data?.total === 1 ? 'student' : 'students'}
        </span>
        <button type="button" disabled={page >= pages} onClick={goNext}>
          Next
        </button>
      </nav>
    </section>
  );
}

function passes(board: Leaderboard, value: number, threshold: number) {
  return board.direction === 'higher' ? value >= threshold : value <= threshold;
}

/** Baselines that `row` fails and the row above passes (or the board's top, when there is none). */
function linesAbove(board: Leaderboard, above: LeaderboardRow | undefined, row: LeaderboardRow) {
  return sorted(board).filter(
    (line) =>
      !passes(board, row.value, line.value) &&
      (above === undefined ? board.offset === 0 : passes(board, above.value, line.value)),
  );
}

/** Baselines every row passes, drawn under the last row of the board. */
function linesBelow(board: Leaderboard, last: LeaderboardRow) {
  return sorted(board).filter((line) => passes(board, last.value, line.value));
}

function sorted(board: Leaderboard) {
  return [...board.baselines].sort((a, b) => (board.direction === 'higher' ? b.value - a.value : a.value - b.value));
}

function BaselineRow({ name, value }: { name: string; value: number }) {
  return (
    <tr className="baseline-row" data-baseline={name}>
      <td colSpan={5}>
        <span className="baseline-line" aria-hidden="true" />
        <span className="baseline-label">
          {name} baseline · {formatScore(value)}
        </span>
      </td>
    </tr>
  );
}

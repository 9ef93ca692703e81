/** The course's grades, filtered and shown 100 at a time, with the CSV export. */
import { useMemo, useState } from 'react';
import { formatScore } from '../../format.ts';
import type { Gradebook } from '../../types.ts';

const GRADES_PAGE = 100;

export function GradesPanel({ course, gradebook }: { course: string; gradebook: Gradebook | undefined }) {
  const [filter, setFilter] = useState('');
  const [limit, setLimit] = useState(GRADES_PAGE);
  const students = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (gradebook?.students ?? []).filter(
      (s) => !needle || s.email.includes(needle) || s.displayName.toLowerCase().includes(needle),
    );
  }, [gradebook, filter]);
  return (
    <section className="card" aria-labelledby="grades-title">
      <div className="board-head">
        <h2 id="grades-title">Grades</h2>
        <a className="button" href={`/v1/courses/${encodeURIComponent(course)}/gradebook.csv`} download>
          Export gradebook CSV
        </a>
      </div>
      <p className="small muted">
        Points from the baselines passed on the public and private boards
        {gradebook?.bestOf ? `; the total counts the best ${gradebook.bestOf} tasks` : ''}.
      </p>
      <label className="search">
        <span className="sr-only">Filter students</span>
        <input
          type="search"
          placeholder="Filter by name or email"
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
        />
      </label>
      {!gradebook ? (
        <div className="placeholder tall" aria-busy="true" />
      ) : (
        <div className="table-wrap">
          <table className="grades">
            <thead>
              <tr>
                <th scope="col">Student</th>
                {gradebook.tasks.map((task) => (
                  <th key={task.slug} scope="col" className="num" title={task.title}>
                    {task.slug}
                  </th>
                ))}
                <th scope="col" className="num">
                  Total
                </th>
              </tr>
            </thead>
            <tbody>
              {students.slice(0, limit).map((student) => (
                <tr key={student.email}>
                  <th scope="row">
                    <span>{student.displayName}</span>
                    <br />
                    <span className="small muted">{student.email}</span>
                  </th>
                  {gradebook.tasks.map((task) => {
                    const grade = student.tasks[task.slug];
                    return (
                      <td
                        key={task.slug}
                        className="num"
                        title={grade ? `public ${grade.publicPoints} + private ${grade.privatePoints}` : ''}
                      >
                        {grade ? formatScore(grade.points) : '—'}
                      </td>
                    );
                  })}
                  <td className="num">
                    <strong>{formatScore(student.total)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {students.length > limit && (
        <button type="button" onClick={() => setLimit(limit + GRADES_PAGE)}>
          Show {Math.min(GRADES_PAGE, students.length - limit)} more of {students.length - limit}
        </button>
      )}
    </section>
  );
}

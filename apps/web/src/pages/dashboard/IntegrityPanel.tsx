/** The integrity report: identical files, identical score pairs. */
import { ProblemMessage } from '../../components/ProblemMessage.tsx';
import type { Resource } from '../../hooks.ts';
import type { IntegrityGroup } from '../../types.ts';

export function IntegrityPanel({ report }: { report: Resource<{ groups: IntegrityGroup[] }> }) {
  return (
    <section className="card" aria-labelledby="integrity-title">
      <h2 id="integrity-title">Integrity report</h2>
      <p className="small muted">
        Students who uploaded byte-identical files, or whose submissions have identical public and private scores.
      </p>
      {report.error ? (
        <ProblemMessage problem={report.error} />
      ) : !report.data ? (
        <div className="placeholder" aria-busy="true" />
      ) : report.data.groups.length === 0 ? (
        <p>Nothing suspicious.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Students</th>
              </tr>
            </thead>
            <tbody>
              {report.data.groups.map((group) => (
                <tr key={`${group.kind}:${group.key}`}>
                  <td>{group.kind === 'identical-file' ? 'identical file' : group.kind.replaceAll('-', ' ')}</td>
                  <td>{[...new Set(group.students.map((s) => s.email))].join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

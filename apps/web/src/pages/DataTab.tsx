/** The task's public files (test inputs, the sample submission), as Kaggle's data tab shows them. */
import { taskPath } from '../api.ts';
import { LoadError } from '../components/ProblemMessage.tsx';
import { formatBytes } from '../format.ts';
import { useResource } from '../hooks.ts';
import type { Task } from '../types.ts';

interface DataFile {
  name: string;
  bytes: number;
  url: string;
}

export function DataTab({ task }: { task: Task }) {
  const data = useResource<{ files: DataFile[] }>(taskPath(task.course, task.slug, '/data'));
  if (data.error) return <LoadError problem={data.error} />;
  return (
    <section className="card" aria-labelledby="data-title">
      <h2 id="data-title">Data</h2>
      <p className="muted">
        The files the TAs publish for this task. The sample submission has every test id in the order the grader
        expects, with one constant prediction: replace the predictions with yours. From a terminal:{' '}
        <code>mljudge download-data {task.slug}</code>.
      </p>
      {data.data === undefined ? (
        <div className="placeholder" aria-busy="true" />
      ) : data.data.files.length === 0 ? (
        <p>This task has no public files.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">
                  Size
                </th>
              </tr>
            </thead>
            <tbody>
              {data.data.files.map((file) => (
                <tr key={file.name}>
                  <td>
                    <a href={file.url} download={file.name}>
                      {file.name}
                    </a>
                  </td>
                  <td className="num">{formatBytes(file.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The HW2-size input every CSV benchmark reads: a solution with Usage, a submission right ~75% of the time. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { SeededRandom } from '@mljudge/course-pack';

export function writeHw2(dir: string, rows: number): void {
  mkdirSync(dir, { recursive: true });
  const random = new SeededRandom(646268);
  const solution = ['Id,Class,Usage'];
  const submission = ['Id,Class'];
  let current = 0;
  for (let id = 0; id < rows; id++) {
    if (random.next() < 0.12) current = random.integer(41);
    solution.push(`${id},${current},${random.next() < 0.5 ? 'Public' : 'Private'}`);
    submission.push(`${id},${random.next() < 0.75 ? current : random.integer(41)}`);
  }
  writeFileSync(`${dir}/solution.csv`, `${solution.join('\n')}\n`);
  writeFileSync(`${dir}/submission.csv`, `${submission.join('\n')}\n`);
  writeFileSync(
    `${dir}/task.yaml`,
    'slug: hw2-bench\ntitle: bench\nformat: csv\nid_column: Id\ntarget_column: Class\nmetric: accuracy\n',
  );
}

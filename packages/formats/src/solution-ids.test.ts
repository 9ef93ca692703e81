/**
 * Solution ids are found by array index when they are plain integers and by hashing otherwise; a
 * prediction file must get the same answer either way, and a solution may turn from one to the other
 * in the middle of the file.
 */
import { describe, expect, it } from 'vitest';
import { BundleError } from './rejection.ts';
import { readSolutionCsv } from './solution-csv.ts';

const spec = { idColumn: 'id', targetColumns: ['y'], targetKind: 'number' } as const;
const solutionOf = (ids: readonly string[]) =>
  readSolutionCsv(Buffer.from(`id,y,Usage\n${ids.map((id) => `${id},1,Public`).join('\n')}\n`), spec);
const find = (solution: ReturnType<typeof solutionOf>, id: string) => solution.ids.findString(id);

describe('solution ids', () => {
  it('finds plain integer ids by value, and only their canonical spelling', () => {
    const solution = solutionOf(['0', '1', '2', '10', '7']);
    expect(['0', '1', '2', '10', '7'].map((id) => find(solution, id))).toEqual([0, 1, 2, 3, 4]);
    for (const other of ['007', '+7', '7.0', '-1', '3', '11', '', '1e1', '٧', '99999999999'])
      expect(find(solution, other), other).toBe(-1);
    expect(solution.ids.keyAt(3)).toBe('10');
    expect(solution.ids.size).toBe(5);
  });

  it('turns to hashing at the first id that is not a plain integer, keeping every row before it', () => {
    const solution = solutionOf(['0', '1', '0002', 'x', '5']);
    expect(['0', '1', '0002', 'x', '5'].map((id) => find(solution, id))).toEqual([0, 1, 2, 3, 4]);
    expect(find(solution, '2')).toBe(-1);
    expect(solution.ids.keyAt(2)).toBe('0002');
  });

  it('hashes ids too sparse for an array', () => {
    const solution = solutionOf(['5', '1000000000', '123456789']);
    expect(find(solution, '123456789')).toBe(2);
    expect(find(solution, '1000000000')).toBe(1);
  });

  it.each([
    ['two equal integer ids', ['0', '1', '1'], 4],
    ['an id repeated across the switch to hashing', ['0', '1', 'x', '1'], 5],
  ])('refuses %s on the line of the second', (_case, ids, line) => {
    let error: BundleError | undefined;
    try {
      solutionOf(ids);
    } catch (caught) {
      error = caught as BundleError;
    }
    expect(error).toBeInstanceOf(BundleError);
    expect(error!.detail).toMatchObject({ code: 'SOLUTION_INVALID', line });
    expect(error!.message).toContain('duplicate id "1"');
  });

  it('reads Usage in any letter case, and nothing else', () => {
    const usage = readSolutionCsv(Buffer.from('id,y,Usage\n0,1,PUBLIC\n1,1, private \n2,1,Ignored\n'), spec).usage;
    expect([...usage]).toEqual([1, 2, 0]);
    for (const bad of ['Publik', 'pub', 'Privately', 'I', ''])
      expect(() => readSolutionCsv(Buffer.from(`id,y,Usage\n0,1,${bad}\n`), spec), bad).toThrow(
        /Usage must be Public, Private or Ignored/,
      );
  });
});

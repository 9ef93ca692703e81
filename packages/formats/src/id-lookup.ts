/** How a prediction file finds the solution row of an id: a byte table, or for plain integer ids an array. */
export interface IdLookup {
  /** Number of ids (solution rows). */
  readonly size: number;
  /** Row of the id `bytes[start, end)`, or -1. */
  find(bytes: Uint8Array, start: number, end: number): number;
  findString(id: string): number;
  /** The id of a row, as written (for messages). */
  keyAt(row: number): string;
}

/**
 * Column data decoded into typed arrays, aligned to the solution's row order. The metric library
 * consumes these directly.
 */
import type { ByteTable } from './byte-table.ts';

/** How the values of a target or prediction column are read. */
export type ValueKind = 'label' | 'number' | 'text';

export interface LabelColumn {
  readonly kind: 'label';
  /** Class code per row; codes index `classNames`. */
  readonly codes: Int32Array;
  /** Display name of every code that can occur (truth classes first, then unseen predicted ones). */
  readonly classNames: readonly string[];
}

export interface NumberColumn {
  readonly kind: 'number';
  readonly values: Float64Array;
}

export interface TextColumn {
  readonly kind: 'text';
  readonly values: readonly string[];
  /** References only: 1 where the row has no reference in this column (an unquoted empty cell). */
  readonly missing?: Uint8Array;
}

export type ColumnValues = LabelColumn | NumberColumn | TextColumn;

/** The label vocabulary of a task: the allowed labels if the task lists them, else the truth labels. */
export interface LabelVocabulary {
  readonly table: ByteTable;
  /** True when the task lists its labels: a prediction outside the list is rejected. */
  readonly closed: boolean;
}

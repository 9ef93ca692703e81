/** Messages between the API and its bundle-checking thread. */
import type { RejectionDetail } from '@mljudge/formats';
import { EVALUATION_FOLDER, PROGRAM_FOLDER, type BundleSummary } from '@mljudge/scoring';

/** The files a bundle may hold, matched by name. */
export const BUNDLE_FILES = ['task.yaml', 'solution.csv', 'inputs.npy'] as const;

/** Public files live under this folder of the bundle, as `data/<name>`. */
export const DATA_FOLDER = 'data';
export { EVALUATION_FOLDER, PROGRAM_FOLDER };
/**
 * Folders of a bundle that hold files by name: public files, a scoring program's (its hidden data
 * too), and an images task's evaluator models and hidden images.
 */
export const FILE_FOLDERS = [DATA_FOLDER, PROGRAM_FOLDER, EVALUATION_FOLDER] as const;
/** What a public or program file may be called. */
export const DATA_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface BundleCheckRequest {
  /** The staging folder: bundle files uploaded as parts are here already. */
  readonly directory: string;
  /** Names of the bundle files uploaded as parts (public files as `data/<name>`). */
  readonly files: readonly string[];
  /** An uploaded .tar.gz to unpack into the folder first. */
  readonly archive: string | null;
  readonly limits: { readonly maxInflatedBytes: number; readonly maxEntries: number };
  /** Host folders a scoring program may read besides /usr (config SANDBOX_READ_ONLY). */
  readonly programReadOnly: readonly string[];
}

export type CheckedBundle = BundleSummary & {
  /** Every file to keep, public ones as `data/<name>` (the generated sample submission included). */
  readonly files: readonly string[];
};

export type BundleCheckResult =
  { readonly ok: CheckedBundle } | { readonly problem: RejectionDetail } | { readonly crash: string };

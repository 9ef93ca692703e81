/** What the bundle-checking thread sends back: the facts the API stores, or the problem. */
import type { RejectionDetail } from '@mljudge/formats';

export interface CheckedBundle {
  readonly slug: string;
  readonly title: string;
  readonly description: string | undefined;
  readonly format: string;
  readonly metric: { readonly name: string; readonly options: Record<string, unknown> };
  readonly direction: 'higher' | 'lower';
  readonly dailySubmissions: number;
  readonly maxUploadBytes: number;
  readonly opensAt: string | undefined;
  readonly deadline: string | undefined;
  readonly revealAt: string | undefined;
  readonly publicRows: number;
  readonly privateRows: number;
}

export type CheckResult =
  { readonly ok: CheckedBundle } | { readonly problem: RejectionDetail } | { readonly crash: string };

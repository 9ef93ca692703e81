/** The problem catalog as a small HTML page with one anchor per code (GET /docs/problems in a browser). */
import { PROBLEMS } from './catalog.ts';

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const anchorOf = (code: string) => code.toLowerCase().replaceAll('_', '-');

/** Every code as JSON rows, for clients. */
export function catalogRows(): Array<{ code: string; status: number; meaning: string }> {
  return Object.entries(PROBLEMS).map(([code, entry]) => ({ code, status: entry.status, meaning: entry.meaning }));
}

export function catalogHtml(): string {
  const rows = catalogRows()
    .map(
      (entry) =>
        `<tr id="${anchorOf(entry.code)}"><td><code>${entry.code}</code></td><td>${entry.status}</td><td>${escape(entry.meaning)}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mljudge problem types</title></head><body><h1>Problem types</h1><p>Every error is an RFC 9457 problem document whose <code>type</code> points to a row here.</p><table><thead><tr><th>code</th><th>status</th><th>meaning</th></tr></thead><tbody>\n${rows}\n</tbody></table></body></html>`;
}

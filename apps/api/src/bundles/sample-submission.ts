/**
 * The sample submission a data tab offers: every test id of the hidden solution, in its order, with
 * one constant prediction, so a student sees the exact format and has a file that uploads. Nothing of
 * the hidden labels is in it: the constant is 0 for numeric targets, and for label tasks the first of
 * the labels task.yaml declares (or, undeclared, the alphabetically first class, which names a class
 * but says nothing about any row).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import type { TaskDefinition } from '@mljudge/scoring';

export const SAMPLE_NAMES = { csv: 'sample_submission.csv', text: 'sample_submission.txt' } as const;

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes the sample for a csv or text task; returns its file name, or null for model tasks. */
export async function writeSampleSubmission(
  definition: TaskDefinition,
  solutionPath: string,
  directory: string,
): Promise<string | null> {
  // A model, a program or an images task's upload has no rows to write a constant into.
  if (definition.format === 'onnx' || definition.format === 'program' || definition.format === 'images') return null;
  const rows = createReadStream(solutionPath).pipe(parse({ bom: true, relax_column_count: false }));
  let header: string[] | undefined;
  let idIndex = -1;
  let targetIndex = -1;
  const ids: string[] = [];
  const classes = new Set<string>();
  for await (const row of rows as AsyncIterable<string[]>) {
    if (!header) {
      header = row;
      idIndex = definition.idColumn ? row.indexOf(definition.idColumn) : -1;
      targetIndex = row.indexOf(definition.targetColumns[0]!);
      continue;
    }
    if (idIndex >= 0) ids.push(row[idIndex]!);
    else ids.push('');
    if (definition.inputKind === 'labels' && !definition.labels) classes.add(row[targetIndex]!);
  }
  const constant =
    definition.inputKind === 'labels'
      ? (definition.labels?.[0] ?? [...classes].sort()[0] ?? '0')
      : definition.inputKind === 'texts'
        ? 'a prediction'
        : '0';
  const name = SAMPLE_NAMES[definition.format];
  const out = createWriteStream(`${directory}/${name}`, { flags: 'wx', mode: 0o600 });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  if (definition.format === 'csv') {
    await write(`${csvCell(definition.idColumn!)},${csvCell(definition.predictionColumn)}\n`);
    for (const id of ids) await write(`${csvCell(id)},${csvCell(constant)}\n`);
  } else {
    for (let row = 0; row < ids.length; row++) await write(`${constant}\n`);
  }
  out.end();
  await once(out, 'finish');
  return name;
}

/**
 * Our side of the metrics benchmark. Usage: metric-variants.ts FILE
 * FILE has the header y_true,y_pred,y_score (41-class labels, a 0/1 label, a score). Parses it with the
 * same byte scanner the scorer uses, then times accuracy, macro-F1 and ROC AUC.
 * Prints {"ms": parse+metrics, "result", "maxRssKiB", "parseMs", "accuracyMs", "f1Ms", "aucMs"}.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { CsvScanner, parseNumber } from '@mljudge/formats';
import { accuracy, precisionRecallF1, rocAuc } from '@mljudge/metrics';

const file = process.argv[2]!;
const started = performance.now();
const bytes = readFileSync(file);
const estimate = Math.ceil(bytes.length / 8);
let truth = new Int32Array(estimate);
let prediction = new Int32Array(estimate);
let binary = new Uint8Array(estimate);
let scores = new Float64Array(estimate);
const scanner = new CsvScanner(bytes, 4);
scanner.next(); // header
let n = 0;
while (scanner.next()) {
  if (n === truth.length) {
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      const next = new (a.constructor as new (size: number) => T)(a.length * 2);
      next.set(a);
      return next;
    };
    truth = grow(truth);
    prediction = grow(prediction);
    binary = grow(binary);
    scores = grow(scores);
  }
  truth[n] = parseNumber(bytes, scanner.starts[0]!, scanner.ends[0]!);
  prediction[n] = parseNumber(bytes, scanner.starts[1]!, scanner.ends[1]!);
  binary[n] = truth[n]! % 2;
  scores[n] = parseNumber(bytes, scanner.starts[2]!, scanner.ends[2]!);
  n++;
}
const t = truth.subarray(0, n),
  p = prediction.subarray(0, n),
  b = binary.subarray(0, n),
  s = scores.subarray(0, n);
const parsed = performance.now();
const acc = accuracy(t, p);
const afterAccuracy = performance.now();
const f1 = precisionRecallF1(t, p, { average: 'macro' }).f1;
const afterF1 = performance.now();
const auc = rocAuc(b, s);
const done = performance.now();
process.stdout.write(
  `${JSON.stringify({
    ms: done - started,
    parseMs: parsed - started,
    accuracyMs: afterAccuracy - parsed,
    f1Ms: afterF1 - afterAccuracy,
    aucMs: done - afterF1,
    result: `acc ${acc.toFixed(12)} f1 ${f1.toFixed(12)} auc ${auc.toFixed(12)}`,
    maxRssKiB: process.resourceUsage().maxRSS,
  })}\n`,
);

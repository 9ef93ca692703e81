/**
 * Our side of the BLEU benchmark. Usage: bleu-variant.ts DIR TOKENIZE
 * DIR holds hyp.txt and ref0.txt (and ref1.txt, ...), one segment per line, written by run.ts; the
 * sacreBLEU side (sacrebleu_bleu.py) reads the same files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { corpusBleu, type BleuTokenizerName } from '@mljudge/metrics';

const [dir, tokenize] = [process.argv[2]!, process.argv[3] as BleuTokenizerName];
const lines = (name: string) => readFileSync(`${dir}/${name}`, 'utf8').replace(/\n$/, '').split('\n');
const started = performance.now();
const hypotheses = lines('hyp.txt');
const references = readdirSync(dir)
  .filter((name) => name.startsWith('ref'))
  .sort()
  .map(lines);
const result = corpusBleu(hypotheses, references, { tokenize });
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, result: `BLEU ${result.score.toFixed(10)}, ${Math.round(hypotheses.length / (ms / 1000)).toLocaleString('en')} segments/s`, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);

/** Corpus BLEU throughput. Usage: bleu-variant.ts SEGMENTS REFERENCES TOKENIZE */
import { performance } from 'node:perf_hooks';
import { corpusBleu, type BleuTokenizerName } from '@mljudge/metrics';
import { SeededRandom } from '@mljudge/course-pack';

const [segments, references, tokenize] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4] as BleuTokenizerName];
const random = new SeededRandom(5);
const english = ['the', 'model', 'is', 'large', 'and', 'we', 'went', 'to', 'school', 'today', 'translation', 'is', 'hard', '.', ',', '"', 'U.S.', '3.5', 'e-mail'];
const chinese = Array.from('我們今天去學校這個模型很大翻譯非常困難他說你好世界。，「」！？');
const vocabulary = tokenize === 'zh' ? chinese : english;
const sentence = (length: number) => Array.from({ length }, () => vocabulary[random.integer(vocabulary.length)]).join(tokenize === 'zh' ? '' : ' ');
const hypotheses = Array.from({ length: segments }, () => sentence(8 + random.integer(25)));
const streams = Array.from({ length: references }, () => hypotheses.map((h) => (random.next() < 0.5 ? h : sentence(8 + random.integer(25)))));
const started = performance.now();
const result = corpusBleu(hypotheses, streams, { tokenize });
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, result: `BLEU ${result.score.toFixed(4)}, ${Math.round(segments / (ms / 1000)).toLocaleString('en')} segments/s`, maxRssKiB: process.resourceUsage().maxRSS })}\n`);

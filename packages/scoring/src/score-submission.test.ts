import { BundleError, SubmissionRejection } from '@mljudge/formats';
import { describe, expect, it } from 'vitest';
import { loadTask } from './loaded-task.ts';
import { scoreSubmission } from './score-submission.ts';

const regressionTask = loadTask(
  'slug: hw1\ntitle: t\nformat: csv\nid_column: id\ntarget_column: tested_positive\nmetric: mse\nreport: [rmse, mae]\n',
  Buffer.from('id,tested_positive,Usage\n0,1.0,Public\n1,2.0,Private\n2,3.0,Public\n3,4.0,Private\n4,5.0,Ignored\n'),
);

describe('scoreSubmission', () => {
  it('scores public and private rows separately and ignores Ignored rows', () => {
    const report = scoreSubmission(regressionTask, Buffer.from('id,tested_positive\n0,1.5\n1,2\n2,2\n3,6\n4,100\n'));
    // public rows 0 and 2: errors 0.5 and -1 -> MSE 0.625; private rows 1 and 3: errors 0 and 2 -> MSE 2
    expect(report.public).toEqual({
      value: 0.625,
      metrics: { mse: 0.625, rmse: Math.sqrt(0.625), mae: 0.75 },
      rows: 2,
    });
    expect(report.private).toEqual({ value: 2, metrics: { mse: 2, rmse: Math.sqrt(2), mae: 1 }, rows: 2 });
  });

  it('scores string labels (HW4 speaker names) with accuracy and macro F1', () => {
    const task = loadTask(
      'slug: hw4\ntitle: t\nformat: csv\nid_column: Id\ntarget_column: Category\nmetric: accuracy\nreport: [{ name: f1, options: { average: macro } }]\n',
      Buffer.from(
        'Id,Category,Usage\nuttr-a.pt,id10001,Public\nuttr-b.pt,id10002,Public\nuttr-c.pt,id10001,Private\nuttr-d.pt,id10003,Private\n',
      ),
    );
    const report = scoreSubmission(
      task,
      Buffer.from('Id,Category\nuttr-a.pt,id10001\nuttr-b.pt,id10001\nuttr-c.pt,id10001\nuttr-d.pt,id99999\n'),
    );
    expect(report.public.value).toBe(0.5);
    expect(report.private!.value).toBe(0.5);
    // public: class id10001 P=1/2 R=1 F=2/3, id10002 P=0 R=0 F=0 -> macro 1/3
    expect(report.public.metrics.f1).toBeCloseTo(1 / 3, 12);
  });

  it('scores ROC AUC from anomaly scores with a binary label truth (HW8)', () => {
    const task = loadTask(
      'slug: hw8\ntitle: t\nformat: csv\nid_column: ID\ntarget_column: label\nprediction_column: score\nmetric: roc_auc\n',
      Buffer.from('ID,label,Usage\n0,0,Public\n1,1,Public\n2,0,Public\n3,1,Private\n4,0,Private\n'),
    );
    const report = scoreSubmission(task, Buffer.from('ID,score\n0,-3\n1,12.5\n2,0.1\n3,1\n4,2\n'));
    expect(report.public.value).toBe(1);
    expect(report.private!.value).toBe(0);
  });

  it('scores a plain-text translation file with BLEU and rejects a wrong line count (HW5)', () => {
    const task = loadTask(
      'slug: hw5\ntitle: t\nformat: text\nid_column: id\ntarget_column: reference\nmetric: { name: bleu, options: { tokenize: zh } }\n',
      Buffer.from('id,reference,Usage\n0,我們今天去學校。,Public\n1,"他說：「你好」",Private\n'),
    );
    const report = scoreSubmission(task, Buffer.from('我們今天去學校。\r\n他說：「你好」\r\n'));
    expect(report.public.value).toBeCloseTo(100, 10);
    expect(report.private!.value).toBeCloseTo(100, 10);
    expect(() => scoreSubmission(task, Buffer.from('one line only\n'))).toThrow(SubmissionRejection);
  });

  it('refuses a bundle whose private split makes the metric undefined', () => {
    expect(() =>
      loadTask(
        'slug: x\ntitle: t\nformat: csv\nid_column: id\ntarget_column: y\nprediction_column: s\nmetric: roc_auc\n',
        Buffer.from('id,y,Usage\n0,0,Public\n1,1,Public\n2,1,Private\n3,1,Private\n'),
      ),
    ).toThrow(/roc_auc is not defined on the private rows/);
  });

  it('refuses a bundle with no public rows', () => {
    expect(() =>
      loadTask(
        'slug: x\ntitle: t\nformat: csv\nid_column: id\ntarget_column: y\nmetric: mse\n',
        Buffer.from('id,y,Usage\n0,1,Private\n'),
      ),
    ).toThrow(BundleError);
  });
});

describe('several references', () => {
  // Golden values from sacreBLEU 2.6.0: corpus_bleu(hyps, [refs1, refs2]) with refs2[1] = None
  // (missing) gives 71.65313105737896; with refs2[1] = "" (an empty reference) it gives 100.0.
  const hypotheses = 'the cat sat on the mat\ndog\nhello world\n';
  const task = (second: string) =>
    loadTask(
      'slug: mt\ntitle: t\nformat: text\nid_column: id\ntarget_column: [ref1, ref2]\nmetric: bleu\n',
      Buffer.from(
        `id,ref1,ref2,Usage\n0,the cat sat on the mat,a cat sat on a mat,Public\n1,the dog barked loudly,${second},Public\n2,hello there world,hello world,Public\n`,
      ),
    );

  it("reads an unquoted empty cell as no reference, like sacreBLEU's None", () => {
    expect(scoreSubmission(task(''), Buffer.from(hypotheses)).public.value).toBeCloseTo(71.65313105737896, 9);
  });

  it('reads a quoted empty cell as an empty reference', () => {
    expect(scoreSubmission(task('""'), Buffer.from(hypotheses)).public.value).toBeCloseTo(100, 9);
  });

  it('needs the first reference on every row', () => {
    expect(() =>
      loadTask(
        'slug: mt\ntitle: t\nformat: text\nid_column: id\ntarget_column: [ref1, ref2]\nmetric: bleu\n',
        Buffer.from('id,ref1,ref2,Usage\n0,,x,Public\n'),
      ),
    ).toThrow(BundleError);
  });
});

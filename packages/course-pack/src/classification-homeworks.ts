/**
 * HW3, HW4, HW11, HW13 and HW15 of the 2023 course (formats, sizes and public baselines from COURSE.md;
 * hidden data synthetic).
 */
import { classificationHomework, zeroPadded } from './classification-homework.ts';

const range = (count: number, label: (i: number) => string = String) =>
  Array.from({ length: count }, (_, i) => label(i));

export const hw3Food = classificationHomework({
  slug: 'hw3-food',
  title: 'HW3: Food image classification',
  fileName: 'submission.csv',
  maxUploadMb: 1,
  description:
    'Classify each test image into one of 11 food categories. Upload submission.csv with the header Id,Category; Id is the 4-digit zero-padded image number (0000).',
  idColumn: 'Id',
  labelColumn: 'Category',
  rows: 3000,
  id: zeroPadded(4),
  labels: range(11),
  baselines: [0.637, 0.7, 0.814, 0.874],
  sampleAccuracy: 0.75,
});

export const hw4Speaker = classificationHomework({
  slug: 'hw4-speaker',
  title: 'HW4: Speaker identification',
  fileName: 'output.csv',
  maxUploadMb: 2,
  description:
    'Identify the speaker of each test utterance among 600 speakers. Upload output.csv with the header Id,Category; Id is the utterance file name (uttr-….pt), Category the speaker id (id10xxx).',
  idColumn: 'Id',
  labelColumn: 'Category',
  rows: 8000,
  id: (_row, random) =>
    `uttr-${Math.floor(random.next() * 2 ** 48)
      .toString(16)
      .padStart(12, '0')}.pt`,
  labels: range(600, (i) => `id${10001 + i}`),
  baselines: [0.66025, 0.8175, 0.885, 0.93175],
  sampleAccuracy: 0.85,
});

export const hw11Domain = classificationHomework({
  slug: 'hw11-domain',
  title: 'HW11: Domain adaptation',
  fileName: 'submission.csv',
  maxUploadMb: 4,
  description:
    'Predict the class (0-9) of each target-domain image. Upload a CSV with the header id,label and one row per id 0..99999.',
  idColumn: 'id',
  labelColumn: 'label',
  rows: 100_000,
  id: String,
  labels: range(10),
  baselines: [0.4428, 0.65994, 0.75342, 0.81072],
  sampleAccuracy: 0.7,
});

export const hw13Compression = classificationHomework({
  slug: 'hw13-compression',
  title: 'HW13: Network compression',
  fileName: 'submission.csv',
  maxUploadMb: 1,
  description:
    'Classify each test image into one of 11 food categories with a model of at most 60,000 parameters. Upload submission.csv with the header Id,Category; Id is 4-digit zero-padded.',
  idColumn: 'Id',
  labelColumn: 'Category',
  rows: 2218,
  id: zeroPadded(4),
  labels: range(11),
  baselines: [0.44364, 0.6844, 0.78268, 0.82326],
  sampleAccuracy: 0.72,
});

export const hw15Meta = classificationHomework({
  slug: 'hw15-meta',
  title: 'HW15: Meta learning (Omniglot 5-way)',
  fileName: 'output.csv',
  maxUploadMb: 1,
  description:
    'Predict the class (0-4) of each query in 5-way few-shot tasks. Upload output.csv with the header id,class.',
  idColumn: 'id',
  labelColumn: 'class',
  rows: 3200,
  id: String,
  labels: range(5),
  baselines: [0.6, 0.7, 0.9, 0.95],
  sampleAccuracy: 0.8,
});

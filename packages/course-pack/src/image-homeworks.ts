/**
 * HW6 (anime face generation) and HW10 (adversarial attack), scored by the TA's models on what the
 * student made (COURSE.md). The evaluators are the small random-weight stand-ins of
 * evaluator-models.ts; the hidden images are painted here from the seed, in the real shapes and
 * counts: 1000 64x64 JPEG "faces" as HW6's real images, 200 32x32 PNGs in ten CIFAR-10 class folders
 * as HW10's benign images (published to students too, as the course did).
 */
import { encodeImage, writeTarGz, type RgbImage } from '@mljudge/images';
import { hw10Classifier, hw6Detector, hw6Features } from './evaluator-models.ts';
import type { GeneratedBundle, ImageHomework } from './homework.ts';
import type { SeededRandom } from './random.ts';

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

const clamp = (value: number) => Math.max(0, Math.min(255, Math.round(value)));

/** A 64x64 cartoon face: background, skin ellipse, hair, two large eyes; `noise` roughens it. */
function paintFace(random: SeededRandom, noise: number): RgbImage {
  const size = 64;
  const pixels = new Uint8Array(size * size * 3);
  const background = [random.next() * 255, random.next() * 255, random.next() * 255];
  const skin = [230 + random.next() * 25, 190 + random.next() * 30, 170 + random.next() * 30];
  const hair = [random.next() * 255, random.next() * 120, random.next() * 255];
  const eye = [random.next() * 255, random.next() * 255, random.next() * 255];
  const cx = 32 + random.normal() * 2;
  const cy = 36 + random.normal() * 2;
  const rx = 18 + random.next() * 4;
  const ry = 22 + random.next() * 4;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const face = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
      const hairline = y < cy - ry * 0.45 && ((x - cx) / (rx + 4)) ** 2 + ((y - cy) / (ry + 4)) ** 2 <= 1;
      const inEye = [-1, 1].some((side) => ((x - (cx + side * rx * 0.42)) / 4.5) ** 2 + ((y - cy) / 6) ** 2 <= 1);
      const colour = hairline ? hair : inEye ? eye : face ? skin : background;
      for (let c = 0; c < 3; c++) pixels[(y * size + x) * 3 + c] = clamp(colour[c]! + random.normal() * noise);
    }
  return { width: size, height: size, pixels };
}

async function faces(random: SeededRandom, count: number, noise: number) {
  const files = [];
  for (let index = 1; index <= count; index++)
    files.push({ name: `${index}.jpg`, bytes: await encodeImage(paintFace(random, noise), 'jpeg', 75) });
  return writeTarGz(files);
}

export const CIFAR_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** A 32x32 image whose colours and stripes depend on its class. */
function paintObject(random: SeededRandom, classIndex: number): RgbImage {
  const size = 32;
  const pixels = new Uint8Array(size * size * 3);
  const hue = (classIndex / CIFAR_CLASSES.length) * 2 * Math.PI;
  const base = [128 + 90 * Math.cos(hue), 128 + 90 * Math.cos(hue + 2.1), 128 + 90 * Math.cos(hue + 4.2)];
  const period = 3 + classIndex;
  const phase = random.next() * period;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const stripe = Math.sin(((x + y + phase) / period) * Math.PI) * 40;
      for (let c = 0; c < 3; c++) pixels[(y * size + x) * 3 + c] = clamp(base[c]! + stripe + random.normal() * 12);
    }
  return { width: size, height: size, pixels };
}

/** The attack's stand-in: every pixel moved by ±epsilon (FGSM with a random sign), clipped to 0-255. */
function perturbed(image: RgbImage, random: SeededRandom, epsilon: number): RgbImage {
  return {
    ...image,
    pixels: Uint8Array.from(image.pixels, (value) => clamp(value + (random.next() < 0.5 ? -epsilon : epsilon))),
  };
}

const hw6Yaml = (count: number) => `slug: hw6-anime
title: "HW6: Anime face generation"
description: |
  Train a generator of anime faces and upload **${count}** of its images as one archive: JPEG files named
  1.jpg to ${count}.jpg, 64x64 RGB, at the root of a .tgz (tar czf submission.tgz -C images .) or a .zip,
  at most 2 MB. The server runs the TAs' models on them: a feature extractor for the FID against the
  hidden real faces (lower is better) and a face detector for the AFD, the share of images in which it
  finds a face (higher is better). A baseline needs both. There is no private board. The evaluators and
  their preprocessing are published, so "mljudge score" reproduces your score offline.
format: images
images: { type: jpeg, width: 64, height: 64, count: ${count}, archives: [tar.gz, zip] }
evaluators:
  - name: inception
    model: features.onnx
    output: features
    batch_size: 100
    preprocess: { width: 64, height: 64, resize: bilinear, scale: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] }
  - name: face-detector
    model: detector.onnx
    output: detection
    threshold: 0.5
    batch_size: 100
    preprocess: { width: 64, height: 64, scale: 255 }
evaluation: { max_seconds: 300 }
metric: { name: fid, options: { evaluator: inception, reference: real_faces.tgz } }
report:
  - { name: detection_rate, options: { evaluator: face-detector } }
limits: { daily_submissions: 5, max_upload_mb: 2 }
baselines:
  - { name: simple, public: { fid: 30000, detection_rate: 0 } }
  - { name: medium, public: { fid: 12000, detection_rate: 0.4 } }
  - { name: strong, public: { fid: 10000, detection_rate: 0.5 } }
  - { name: boss, public: { fid: 9000, detection_rate: 0.6 } }
`;

/** HW6 with `count` images per upload and as many real ones (the course: 1000). */
export function hw6AnimeOf(count: number): ImageHomework {
  return {
    slug: 'hw6-anime',
    rows: count,
    async generate(random): Promise<GeneratedBundle> {
      const real = await faces(random, count, 6);
      return {
        taskYaml: hw6Yaml(count),
        files: {
          'evaluation/features.onnx': fromBase64(hw6Features),
          'evaluation/detector.onnx': fromBase64(hw6Detector),
          'evaluation/real_faces.tgz': real,
        },
        // A generator that learnt faces, roughly: the same painter with more noise.
        sampleSubmission: await faces(random, count, 20),
        sampleFileName: 'submission.tgz',
      };
    },
  };
}

export const hw6Anime = hw6AnimeOf(1000);

const hw10Yaml = (count: number) => `slug: hw10-attack
title: "HW10: Adversarial attack (CIFAR-10)"
description: |
  Attack the TAs' defended classifier. Download **benign.tgz** (${count} CIFAR-10 images, 32x32 PNG, in
  <class>/<class><id>.png) from the data tab, perturb every image by at most 8 (of 0-255) per pixel and
  channel, and upload the ${count} PNGs under the same names as a .tgz or .zip of at most 2 MB. An image
  farther than 8 from its original refuses the whole upload, naming the image. Your score is the
  classifier's accuracy on your images: lower is better.
format: images
images: { type: png, width: 32, height: 32, originals: benign.tgz, max_linf: 8, archives: [tar.gz, zip] }
labels: [${CIFAR_CLASSES.join(', ')}]
evaluators:
  - name: defended
    model: classifier.onnx
    output: logits
    batch_size: 200
    preprocess:
      { width: 32, height: 32, scale: 255, mean: [0.4914, 0.4822, 0.4465], std: [0.2023, 0.1994, 0.201] }
metric: { name: attacked_accuracy, options: { evaluator: defended } }
data: [benign.tgz]
limits: { daily_submissions: 5, max_upload_mb: 2 }
baselines:
  - { name: simple, public: 0.70 }
  - { name: medium, public: 0.50 }
  - { name: strong, public: 0.25 }
  - { name: boss, public: 0.10 }
`;

/** HW10 with `perClass` benign images of each of the ten classes (the course: 20, 200 in all). */
export function hw10AttackOf(perClass: number): ImageHomework {
  return {
    slug: 'hw10-attack',
    rows: perClass * CIFAR_CLASSES.length,
    async generate(random): Promise<GeneratedBundle> {
      const originals = CIFAR_CLASSES.flatMap((name, classIndex) =>
        Array.from({ length: perClass }, (_, id) => ({
          name: `${name}/${name}${id + 1}.png`,
          image: paintObject(random, classIndex),
        })),
      );
      const pack = async (images: typeof originals) =>
        writeTarGz(
          await Promise.all(images.map(async ({ name, image }) => ({ name, bytes: await encodeImage(image, 'png') }))),
        );
      const benign = await pack(originals);
      return {
        taskYaml: hw10Yaml(perClass * CIFAR_CLASSES.length),
        files: {
          'evaluation/classifier.onnx': fromBase64(hw10Classifier),
          'evaluation/benign.tgz': benign,
          'data/benign.tgz': benign,
        },
        sampleSubmission: await pack(
          originals.map(({ name, image }) => ({ name, image: perturbed(image, random, 8) })),
        ),
        sampleFileName: 'adversarial.tgz',
      };
    },
  };
}

export const hw10Attack = hw10AttackOf(20);

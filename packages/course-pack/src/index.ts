import { hw3Food, hw4Speaker, hw11Domain, hw13Compression, hw15Meta } from './classification-homeworks.ts';
import { hw1Covid } from './hw1-covid.ts';
import { hw12Reinforcement } from './hw12-reinforcement.ts';
import { hw10Attack, hw6Anime } from './image-homeworks.ts';
import { hw2Phoneme } from './hw2-phoneme.ts';
import { hw5Translation, hw7Qa, hw8Anomaly } from './text-homeworks.ts';

export type { GeneratedBundle, Homework, ImageHomework } from './homework.ts';
export { CIFAR_CLASSES, hw10AttackOf, hw6AnimeOf } from './image-homeworks.ts';
export { SeededRandom } from './random.ts';
export { writeBundle, type BundleSchedule, type WrittenBundle } from './write-bundle.ts';
export {
  hw1Covid,
  hw2Phoneme,
  hw3Food,
  hw4Speaker,
  hw5Translation,
  hw6Anime,
  hw7Qa,
  hw8Anomaly,
  hw10Attack,
  hw11Domain,
  hw12Reinforcement,
  hw13Compression,
  hw15Meta,
};

/** Every leaderboard homework of the course pack, in course order. */
export const COURSE_PACK = [
  hw1Covid,
  hw2Phoneme,
  hw3Food,
  hw4Speaker,
  hw5Translation,
  hw7Qa,
  hw8Anomaly,
  hw11Domain,
  hw13Compression,
  hw15Meta,
] as const;

/**
 * Homeworks scored by the TA's models on uploaded images (HW6 FID and AFD, HW10 attacked accuracy):
 * the score-gpu queue's workers run them, on the CPU where no GPU is.
 */
export const IMAGE_PACK = [hw6Anime, hw10Attack] as const;

/**
 * Homeworks scored by the TA's own program: they need a worker on the score-program queue with what
 * the program imports (HW12: gymnasium with Box2D), so `mljudge course-pack` adds them on request.
 */
export const PROGRAM_PACK = [hw12Reinforcement] as const;

/** The homeworks the demo course ships with. */
export const DEMO_HOMEWORKS = [hw1Covid, hw2Phoneme] as const;

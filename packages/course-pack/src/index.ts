import { hw3Food, hw4Speaker, hw11Domain, hw13Compression, hw15Meta } from './classification-homeworks.ts';
import { hw1Covid } from './hw1-covid.ts';
import { hw12Reinforcement } from './hw12-reinforcement.ts';
import { hw2Phoneme } from './hw2-phoneme.ts';
import { hw5Translation, hw7Qa, hw8Anomaly } from './text-homeworks.ts';

export type { GeneratedBundle, Homework } from './homework.ts';
export { SeededRandom } from './random.ts';
export { writeBundle, type BundleSchedule, type WrittenBundle } from './write-bundle.ts';
export {
  hw1Covid,
  hw2Phoneme,
  hw3Food,
  hw4Speaker,
  hw5Translation,
  hw7Qa,
  hw8Anomaly,
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
 * Homeworks scored by the TA's own program: they need a worker on the score-program queue with what
 * the program imports (HW12: gymnasium with Box2D), so `mljudge course-pack` adds them on request.
 */
export const PROGRAM_PACK = [hw12Reinforcement] as const;

/** The homeworks the demo course ships with. */
export const DEMO_HOMEWORKS = [hw1Covid, hw2Phoneme] as const;

import { hw1Covid } from './hw1-covid.ts';
import { hw2Phoneme } from './hw2-phoneme.ts';

export type { GeneratedBundle, Homework } from './homework.ts';
export { SeededRandom } from './random.ts';
export { writeBundle, type WrittenBundle } from './write-bundle.ts';
export { hw1Covid, hw2Phoneme };

/** The homeworks the demo course ships with. */
export const DEMO_HOMEWORKS = [hw1Covid, hw2Phoneme] as const;

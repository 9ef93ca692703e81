/**
 * HW12 (2023): reinforcement learning. The student uploads Action_List.npy, five action lists the
 * server replays in LunarLander from a fixed seed; the mean reward of the five episodes earns points
 * by the 2023 bands (< 0 -> 0, 0-110 -> 1, 110-180 -> 2, 180-275 -> 3, >= 275 -> 4; COURSE.md). No
 * private board. Scored by the TA's program (hw12-programs.ts) in the sandbox; the worker that takes
 * the score-program queue needs gymnasium with Box2D (the docker-compose worker-program image).
 */
import { HW12_PROGRAM_FILES } from './hw12-programs.ts';
import type { Homework } from './homework.ts';
import { npyInt64Rows } from './npy.ts';

const EPISODES = 5;
/** The seed the course's HW12 notebook fixes (seed = 543). */
const SEED = 543;

const TASK_YAML = `slug: hw12-rl
title: "HW12: Reinforcement learning (LunarLander)"
description: |
  Land the lunar lander. Play ${EPISODES} episodes of LunarLander with the course's fixed seed (${SEED}) and
  upload the actions you took as **Action_List.npy**: an integer array of shape (${EPISODES}, steps), one row
  per episode, each row padded with -1 after its last action, for example

      numpy.save("Action_List.npy", numpy.array([a + [-1] * (longest - len(a)) for a in lists], dtype=numpy.int64))

  Object arrays (pickles, what numpy saves for lists of different lengths) are refused, unread.
  The server replays each list in its episode; a list that stops before its episode ends, or goes on
  after it, is rejected with the episode (line) and the step (column). Your score is the mean total
  reward of the ${EPISODES} episodes; points: below 0 none, 0-110 one, 110-180 two, 180-275 three, 275 and
  above four. There is no private board.
format: program
program:
  command: [python3, replay.py]
  sample: sample_actions.npy
  splits: [public]
  timeout_seconds: 120
  memory_mb: 1024
  max_processes: 16
metric: { name: mean_reward, direction: higher }
limits: { daily_submissions: 5, max_upload_mb: 1 }
point_bands:
  - { to: 0, points: 0 }
  - { from: 0, to: 110, points: 1 }
  - { from: 110, to: 180, points: 2 }
  - { from: 180, to: 275, points: 3 }
  - { from: 275, points: 4 }
`;

export const hw12Reinforcement: Homework = {
  slug: 'hw12-rl',
  rows: EPISODES,
  generate(random) {
    // A sample in the upload's format: random actions, cut at an arbitrary step. Only a replay knows
    // where an episode ends (python3 play.py makes a sample that scores), so the server reports this
    // one as rejected at the bundle check: that still proves the program runs and keeps the contract.
    const lists = Array.from({ length: EPISODES }, () =>
      Array.from({ length: 60 + Math.floor(random.next() * 40) }, () => Math.floor(random.next() * 4)),
    );
    const sample = npyInt64Rows(lists);
    return {
      taskYaml: TASK_YAML,
      files: {
        ...Object.fromEntries(Object.entries(HW12_PROGRAM_FILES).map(([name, text]) => [`program/${name}`, text])),
        'program/episodes.json': `${JSON.stringify({ environment: 'LunarLander-v3', seed: SEED, episodes: EPISODES })}\n`,
        'program/sample_actions.npy': sample,
      },
      sampleSubmission: sample,
      sampleFileName: 'Action_List.npy',
    };
  },
};

/** The mljudge command line: dispatches to a command and returns its exit status. */
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';
import { coursePackCommand } from './course-pack-command.ts';
import { SCORE_USAGE, scoreCommand } from './score-command.ts';

const USAGE = `Usage: mljudge <command> [options]

Commands:
  score         score a prediction file against a task bundle offline, as the server does
  course-pack   create the course's homework tasks (synthetic hidden data) on a server (TAs)

Run "mljudge <command> --help" for a command's options.`;

export async function main(argv: readonly string[], output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'score':
      return scoreCommand(rest, output);
    case 'course-pack':
      return coursePackCommand(rest, output, env);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      output.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.other : EXIT.ok;
    default:
      output.stderr.write(`Unknown command "${command}".\n\n${USAGE}\n`);
      return EXIT.other;
  }
}

export { SCORE_USAGE };

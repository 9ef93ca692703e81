/** The mljudge command line: dispatches to a command and returns its exit status. */
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';
import { SCORE_USAGE, scoreCommand } from './score-command.ts';

const USAGE = `Usage: mljudge <command> [options]

Commands:
  score    score a prediction file against a task bundle offline, as the server does

Run "mljudge <command> --help" for a command's options.`;

export async function main(argv: readonly string[], output: Output): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'score':
      return scoreCommand(rest, output);
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

/** The mljudge command line: dispatches to a command and returns its exit status. */
import type { CommandHandler } from './command.ts';
import { coursePackCommand } from './course-pack-command.ts';
import { EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';
import { scoreCommand } from './score-command.ts';
import {
  courseCreateCommand,
  coursesCommand,
  membersCommand,
  overrideCommand,
  taskStateCommand,
} from './course-commands.ts';
import { gradesExportCommand, loginCommand, rescoreCommand, taskPushCommand } from './staff-commands.ts';
import {
  downloadCommand,
  downloadDataCommand,
  leaderboardCommand,
  limitsCommand,
  selectCommand,
  statusCommand,
  submissionsCommand,
  submitCommand,
  tasksCommand,
} from './student-commands.ts';

const USAGE = `Usage: mljudge <command> [options]

Students and CI:
  login          save the server URL and your API token
  tasks          list your tasks
  submit         upload a prediction file (--wait for the score, --fail-under for CI)
  status         show one submission
  submissions    list your submissions on a task
  leaderboard    show a task's board (--private after the reveal)
  limits         submissions left today
  select         mark a submission for the private board (--unselect to undo)
  download       download one of your submitted files
  download-data  download a task's public files (test inputs, a sample submission)
  score          score a file offline against a task bundle, exactly as the server does
TAs:
  task push      create or update a task from a bundle directory
  task hide      hide a task from students (task archive: read-only; task show: back)
  members        list, add (roster CSV), remove, role, reset-password
  override       more submissions per day or a later deadline for one student
  rescore        rescore every submission of a task
  grades export  download the course gradebook as CSV (--canvas for Canvas's import layout)
  course-pack    create the course pack's homework tasks
  courses        the courses you belong to (course create SLUG: site admins)

Every command takes --json. Connection: --url/--token, MLJUDGE_URL/MLJUDGE_TOKEN, or "mljudge login".
Exit status: 0 ok, 1 other error, 2 submission rejected, 3 below --fail-under, 4 auth, 5 quota exhausted.`;

const COMMANDS: Record<string, CommandHandler> = {
  login: loginCommand,
  tasks: tasksCommand,
  submit: submitCommand,
  status: statusCommand,
  submissions: submissionsCommand,
  leaderboard: leaderboardCommand,
  limits: limitsCommand,
  select: selectCommand,
  download: downloadCommand,
  'download-data': downloadDataCommand,
  score: (args, output) => scoreCommand(args, output),
  'course-pack': coursePackCommand,
  rescore: rescoreCommand,
  courses: coursesCommand,
  members: membersCommand,
  override: overrideCommand,
};

const SUBCOMMANDS: Record<string, CommandHandler> = {
  'task push': taskPushCommand,
  'task hide': taskStateCommand('hide'),
  'task archive': taskStateCommand('archive'),
  'task show': taskStateCommand('show'),
  'course create': courseCreateCommand,
  'grades export': gradesExportCommand,
};

export async function main(
  argv: readonly string[],
  output: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [first, second, ...rest] = argv;
  const pair = SUBCOMMANDS[`${first} ${second}`];
  if (pair) return pair(rest, output, env);
  const handler = first === undefined ? undefined : COMMANDS[first];
  if (handler) return handler(argv.slice(1), output, env);
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    output.stdout.write(`${USAGE}\n`);
    return first === undefined ? EXIT.other : EXIT.ok;
  }
  output.stderr.write(`Unknown command "${argv.join(' ')}".\n\n${USAGE}\n`);
  return EXIT.other;
}

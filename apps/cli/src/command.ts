/** Shared plumbing of server commands: argument parsing, --help, and turning failures into exit codes. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ApiError } from '@mljudge/client';
import { MissingLoginError, printJson } from './context.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import type { Output } from './output.ts';
import { renderProblem } from './render.ts';

export type CommandHandler = (args: readonly string[], output: Output, env: NodeJS.ProcessEnv) => Promise<number>;

/** Parses arguments, prints usage on --help or a parse error, and renders API errors. */
export function command<O extends NonNullable<ParseArgsConfig['options']>>(
  usage: string,
  options: O,
  run: (
    parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] },
    output: Output,
    env: NodeJS.ProcessEnv,
  ) => Promise<number>,
): CommandHandler {
  return async (args, output, env) => {
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    } catch (error) {
      output.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
      return EXIT.other;
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      output.stdout.write(`${usage}\n`);
      return EXIT.ok;
    }
    try {
      return await run({ values, positionals: parsed.positionals }, output, env);
    } catch (error) {
      if (error instanceof MissingLoginError) {
        output.stderr.write(`error: ${error.message}\n`);
        return EXIT.auth;
      }
      if (error instanceof ApiError) {
        if (values.json) printJson(output, error.problem);
        else output.stderr.write(renderProblem(error.problem));
        return exitCodeOf(error);
      }
      const code = (error as NodeJS.ErrnoException).code;
      output.stderr.write(
        `error: ${code === 'ECONNREFUSED' ? 'cannot reach the server (is MLJUDGE_URL right?)' : (error as Error).message}\n`,
      );
      return EXIT.other;
    }
  };
}

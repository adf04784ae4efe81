/** Command-line parsing shared by `enrich` and `worker`: strict flags, and usage errors in one shape. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../errors';

/** A mistake on the command line: exit code 2 and a pointer to --help. */
export function usage(message: string): AppError {
  return new AppError('USAGE', `${message} Run with --help for the usage.`);
}

/** `parseArgs` with strict flags and no positionals; an unknown or malformed flag is a usage error. */
export function parseFlags<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (e) {
    throw usage(`${(e as Error).message}.`);
  }
}

/**
 * The exit codes of `parley` (listed in its --help and the README):
 * 0 everything worked; 1 the server refused something (a typed error: not found, invalid input,
 * conflict…; for import, any file not imported); 2 the command line is wrong (unknown option,
 * missing argument, no active session); 3 the server could not be reached, refused the
 * credentials, or failed unexpectedly.
 */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, UNAVAILABLE: 3 } as const;

/** A failure the command reports as one line on stderr before exiting with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
  }
}

export interface Problem {
  path: readonly string[];
  message: string;
}

/** The problems a typed error carries (ValidationError.problems, LimitExceededError.violations). */
export function problemsOf(error: { problems?: readonly Problem[]; violations?: readonly Problem[] }): Problem[] {
  return [...(error.problems ?? []), ...(error.violations ?? [])];
}

export const describeProblem = (p: Problem) => (p.path.length ? `${p.path.join('.')}: ${p.message}` : p.message);

/** A typed error of the API as one line: its message, then each problem at its path. */
export function typedError(error: { message?: string; problems?: readonly Problem[]; violations?: readonly Problem[] }): CliError {
  const problems = problemsOf(error).map(describeProblem);
  return new CliError([error.message ?? 'Failed', ...problems].join('; '));
}

/** One thing the server found wrong, where it found it. */
export interface Problem {
  path: string[];
  message: string;
}

type Refusal = { __typename: string; message?: string; problems?: Problem[]; violations?: Problem[] };

/** The problems of a ValidationError or a LimitExceededError (one, with the message alone, for any other error). */
export function problemsOf(result: Refusal | null | undefined, fallback: string): Problem[] {
  if (!result) return [{ path: [], message: fallback }];
  const listed = result.problems ?? result.violations;
  return listed?.length ? listed : [{ path: [], message: result.message ?? fallback }];
}

/** "messages.1.role", the path as people read it; the argument's own name (input, document) left out. */
export const shownPath = (path: string[], skip: string) => (path[0] === skip ? path.slice(1) : path).join('.');

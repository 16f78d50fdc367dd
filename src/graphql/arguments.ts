import { withPathPrefix } from '../core/errors.js';

/**
 * Runs a service call whose input arrived as the GraphQL argument `name`, so that the paths of
 * the problems reported start with that argument, as a client wrote it.
 */
export async function underArgument<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw withPathPrefix(error, [name]);
  }
}

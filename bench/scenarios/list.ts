import type { Scenario } from '../scenario.js';
import { appendMessage } from './append-message.js';
import { history } from './history.js';
import { sessions } from './sessions.js';

/** Every scenario of the suite, in the order the table shows them. */
export const SCENARIOS: Scenario[] = [
  appendMessage,
  history,
  sessions,
  // S4 belongs to the subscriptions work: replace this entry with the graphql-ws fan-out scenario.
  { kind: 'pending', id: 'S4', title: 'subscription fan-out (graphql-ws)', reason: 'subscriptions pending' },
  { kind: 'process', id: 'S5', title: 'memory per stored message', script: 'memory.ts', nodeFlags: ['--expose-gc'] },
];

export function httpScenario(id: string) {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found || found.kind !== 'http') throw new Error(`no HTTP scenario ${id}`);
  return found;
}

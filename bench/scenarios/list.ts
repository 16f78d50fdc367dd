import type { Scenario } from '../scenario.js';
import { appendMessage } from './append-message.js';
import { history } from './history.js';
import { sessions } from './sessions.js';

/** Every scenario of the suite, in the order the table shows them. */
export const SCENARIOS: Scenario[] = [
  appendMessage,
  history,
  sessions,
  { kind: 'fanout', id: 'S4', title: 'subscription fan-out (graphql-ws)' },
  { kind: 'process', id: 'S5', title: 'memory per stored message', script: 'memory.ts', nodeFlags: ['--expose-gc'] },
  { kind: 'runs', id: 'S6', title: 'model runs streamed to subscribers' },
];

export function httpScenario(id: string) {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found || found.kind !== 'http') throw new Error(`no HTTP scenario ${id}`);
  return found;
}

import type { SessionService } from '../src/core/service/index.js';
import type { Profile } from './profile.js';
import type { System } from './systems.js';

export type Variables = Record<string, unknown>;

/** One measured load: the requests the connections cycle through (the same bytes go to both servers). */
export interface LoadCase {
  label: string;
  variables: Variables[];
}

/**
 * An HTTP scenario. Parley and Mercurius run `query`; the baseline server R answers the same
 * request body with `baseline`, which calls the same service and returns the same `data` without GraphQL.
 */
export interface HttpScenario {
  kind: 'http';
  id: string;
  title: string;
  query: string;
  /** Stores what the scenario reads or writes to; runs in each server process before it listens. */
  seed(service: SessionService, profile: Profile): Promise<void>;
  cases(profile: Profile): LoadCase[];
  /** The `data` of Parley's answer, computed by hand. */
  baseline(service: SessionService, variables: Variables): Promise<unknown>;
  /** Reads: both answers must be equal. Writes (fresh ids and times): equal in shape only. */
  exact: boolean;
  /** Servers measured beside R, Parley and Mercurius (systems.ts). */
  extraSystems?: System[];
}

/** A scenario that runs in its own process and reports figures of its own (S5). */
export interface ProcessScenario {
  kind: 'process';
  id: string;
  title: string;
  /** The script, relative to bench/, run with the given node flags; it sends one JSON message over IPC. */
  script: string;
  nodeFlags: string[];
}

/** Subscription fan-out (S4): latencies and losses per subscriber count, R (a bare broadcast) beside Parley. */
export interface FanoutScenario {
  kind: 'fanout';
  id: string;
  title: string;
}

/** Model runs (S6): runs streamed from a model process to their subscribers, beside the model's streams read directly. */
export interface RunsScenario {
  kind: 'runs';
  id: string;
  title: string;
}

export type Scenario = HttpScenario | ProcessScenario | FanoutScenario | RunsScenario;

/** How big and how long a run is. `full` is the run the README reports; `quick` is what CI runs. */
export interface Profile {
  name: 'full' | 'quick';
  /** Concurrent HTTP connections of the load generator, in every HTTP scenario. */
  connections: number;
  /** Load applied to each server and case before the measured rounds (JIT warm-up), in seconds. */
  warmupSeconds: number;
  /** Length of one measurement of one server on one case, in seconds. */
  roundSeconds: number;
  /** Measured rounds; each round measures R and Parley back to back, alternating who goes first. */
  rounds: number;
  /** Sessions that S1 appends to, round-robin, so none nears the per-session message limit. */
  appendSessions: number;
  /** Messages of the long session of S2 (the short one always holds 100). */
  longHistory: number;
  /** Sessions stored for S3. */
  listedSessions: number;
  /** Messages stored for S5. */
  storedMessages: number;
  /** S4: each case measured while its `rate` messages a second are appended for `seconds`. */
  fanout: { cases: FanoutCaseProfile[]; seconds: number };
  /**
   * S6: `runs` concurrent model runs of `tokens` tokens each, streamed by the bench model at
   * `tokensPerSecond` after `firstTokenDelayMs`, each followed by `subscribers` subscribers, after
   * a warm-up batch of `warmupTokens`-token runs; `rounds` rounds of R and Parley.
   */
  runs: { runs: number; subscribers: number; tokens: number; tokensPerSecond: number; firstTokenDelayMs: number; warmupTokens: number; rounds: number };
}

/** `subscribers` spread evenly over `sessions` sessions; `rate` appends a second, round-robin over the sessions. */
export interface FanoutCaseProfile {
  subscribers: number;
  sessions: number;
  rate: number;
}

export const FULL: Profile = {
  name: 'full',
  connections: 50,
  warmupSeconds: 3,
  roundSeconds: 3,
  rounds: 5,
  appendSessions: 200,
  longHistory: 100_000,
  listedSessions: 10_000,
  storedMessages: 100_000,
  // At scale, 10,000 deliveries a second as with 1,000 subscribers: 2 messages a second to 10,000
  // subscribers of one session, and one a second to each of 100 sessions of 100 subscribers.
  fanout: {
    cases: [
      { subscribers: 1, sessions: 1, rate: 10 },
      { subscribers: 100, sessions: 1, rate: 10 },
      { subscribers: 1000, sessions: 1, rate: 10 },
      { subscribers: 10_000, sessions: 1, rate: 2 },
      { subscribers: 10_000, sessions: 100, rate: 100 },
    ],
    seconds: 10,
  },
  runs: { runs: 100, subscribers: 10, tokens: 200, tokensPerSecond: 50, firstTokenDelayMs: 1000, warmupTokens: 20, rounds: 3 },
};

/** Same data sizes as FULL (they are what the targets are about), much shorter load. */
export const QUICK: Profile = {
  ...FULL,
  name: 'quick',
  warmupSeconds: 0.5,
  roundSeconds: 1,
  rounds: 2,
  fanout: {
    cases: [
      { subscribers: 1, sessions: 1, rate: 10 },
      { subscribers: 1000, sessions: 1, rate: 10 },
    ],
    seconds: 1,
  },
  runs: { runs: 20, subscribers: 10, tokens: 50, tokensPerSecond: 50, firstTokenDelayMs: 500, warmupTokens: 10, rounds: 1 },
};

export const profileNamed = (name: string): Profile => (name === 'quick' ? QUICK : FULL);

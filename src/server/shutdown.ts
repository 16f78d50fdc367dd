/** One part of a stop, named for the log line when it does not finish. */
export interface StopStep {
  name: string;
  run(): Promise<void>;
}

export interface StopOutcome {
  /** Every step finished in time, without error. */
  clean: boolean;
  /** The steps that had not finished at the deadline (the running one and those not started). */
  gaveUpOn: string[];
  /** The steps that failed, with their error. */
  failed: { name: string; error: unknown }[];
}

/**
 * Runs the steps one after another within one deadline for them all. A step that fails does not
 * stop the next ones; at the deadline, the step still running and the ones after it are given up.
 */
export async function stopWithin(timeoutMs: number, steps: StopStep[]): Promise<StopOutcome> {
  const failed: StopOutcome['failed'] = [];
  let current = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const all = (async () => {
    for (; current < steps.length; current += 1) {
      const step = steps[current] as StopStep;
      try {
        await step.run();
      } catch (error) {
        failed.push({ name: step.name, error });
      }
    }
    return 'done' as const;
  })();
  const outcome = await Promise.race([all, deadline]);
  clearTimeout(timer);
  const gaveUpOn = outcome === 'timeout' ? steps.slice(current).map((s) => s.name) : [];
  return { clean: gaveUpOn.length === 0 && failed.length === 0, gaveUpOn, failed };
}

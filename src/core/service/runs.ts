import { randomUUID } from 'node:crypto';
import { ConflictError, LimitExceededError, NotFoundError, renamePath, ValidationError, type LimitViolation } from '../errors.js';
import type { ChatMessage } from '../exchange/chat.js';
import type { JsonObject } from '../json.js';
import type { Message, Session, User } from '../model.js';
import { buildPrompt, type PromptWindow } from '../prompt.js';
import { ModelError, unconfiguredProvider, type Usage } from '../provider.js';
import {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  type Run,
  type RunChannel,
  type RunError,
  type RunEvent,
  type RunSettings,
  type RunStatus,
  type RunStrategy,
} from '../run.js';
import type { InputOf } from '../schemas.js';
import { parseInput } from '../validate.js';
import type { RunObservation, RunOptions, ServiceDeps } from './deps.js';

export type { RunObservation, RunOptions } from './deps.js';

export const DEFAULT_WINDOW: PromptWindow = { maxMessages: 200, maxTokens: 16_000 };
const DEFAULT_LEASE_MS = 15_000;
/** How long cancelRun waits for a running run to stop before it returns it as it is. */
const CANCEL_WAIT_MS = 3000;

/** Why a local run is being stopped. */
/** LOST: another instance ended the run (its lease ran out); GONE: its session was removed. */
type StopReason = { kind: 'CANCELLED' } | { kind: 'FAILED'; error: RunError } | { kind: 'LOST' } | { kind: 'GONE' };

interface LocalRun {
  controller: AbortController;
  stop: StopReason | null;
  done: Promise<void>;
  /** The run once it is RUNNING (null when it could not start: cancelled meanwhile, session gone). */
  started: Promise<Run | null>;
  markStarted(run: Run | null): void;
  /** The run as this instance ended it (its END published), once it has. */
  ended: Run | null;
}

/** The in-process run channel: events and cancellations reach this instance only. */
export function localRunChannel(): RunChannel & { subscribe(listener: (event: RunEvent) => void): () => void } {
  const listeners = new Set<(event: RunEvent) => void>();
  const cancels = new Set<(runId: string) => void>();
  const last = new Map<string, { offset: number; ended: boolean }>();
  return {
    publish(event) {
      const previous = last.get(event.runId) ?? { offset: 0, ended: false };
      if (event.type === 'END' && event.offset <= previous.offset) event = { ...event, offset: previous.offset + 1 };
      if (previous.ended || event.offset <= previous.offset) return;
      last.set(event.runId, { offset: event.offset, ended: event.type === 'END' });
      for (const listener of listeners) listener(event);
    },
    lastOffset: async (runId) => last.get(runId)?.offset ?? 0,
    requestCancel(runId) {
      for (const listener of cancels) listener(runId);
    },
    onCancel(listener) {
      cancels.add(listener);
      return () => cancels.delete(listener);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Runs: a model turn in a session. One run holds a session's slot at a time; the instance that
 * holds it streams the reply, publishes it as events, stores it as an ASSISTANT message and hands
 * the slot to the next queued run. Leases make sure a run whose instance died ends as FAILED.
 */
export function runOperations(deps: ServiceDeps, options: RunOptions = {}) {
  const { storage, limits } = deps;
  const provider = options.provider ?? unconfiguredProvider;
  const channel = options.channel ?? localRunChannel();
  const window: PromptWindow = { ...DEFAULT_WINDOW, ...options.window };
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const instanceId = options.instanceId ?? randomUUID();
  const local = new Map<string, LocalRun>();
  let stopped = false;

  const stopCancel = channel.onCancel((runId) => {
    const mine = local.get(runId);
    if (mine) halt(mine, { kind: 'CANCELLED' });
  });

  function halt(run: LocalRun, reason: StopReason): void {
    if (run.stop) return;
    run.stop = reason;
    run.controller.abort(new Error(reason.kind));
  }

  function report(error: unknown, run: Run): void {
    options.onError?.(error, run);
  }

  async function sessionOf(id: string): Promise<Session> {
    const session = await storage.getSession(id);
    if (!session) throw new NotFoundError('Session', id);
    return session;
  }

  /** The limits a new run would exceed, checked before anything is written. */
  async function checkRunLimits(session: Session, path: (string | number)[]): Promise<void> {
    const violations: LimitViolation[] = [];
    if (local.size >= limits.maxRunsPerInstance) {
      violations.push({
        limit: 'maxRunsPerInstance',
        max: limits.maxRunsPerInstance,
        actual: local.size + 1,
        path,
        message: `This instance is running ${local.size} runs; at most ${limits.maxRunsPerInstance} are allowed at a time`,
      });
    }
    if (session.ownerId !== null) {
      const active = await storage.countRuns({ ownerId: session.ownerId, statuses: ACTIVE_STATUSES });
      if (active >= limits.maxRunsPerOwner) {
        violations.push({
          limit: 'maxRunsPerOwner',
          max: limits.maxRunsPerOwner,
          actual: active + 1,
          path,
          message: `The session's owner has ${active} runs queued or running; at most ${limits.maxRunsPerOwner} are allowed at a time`,
        });
      }
    }
    const [first, ...rest] = violations;
    if (first) throw new LimitExceededError([first, ...rest]);
  }

  function settingsOf(input: { model?: string | null | undefined; maxOutputTokens?: number | null | undefined; temperature?: number | null | undefined } | null | undefined): RunSettings {
    return { model: input?.model ?? null, maxOutputTokens: input?.maxOutputTokens ?? null, temperature: input?.temperature ?? null };
  }

  function newRun(session: Session, inputSeq: number, settings: RunSettings, clientId: string | null): Run {
    return {
      id: deps.newId(),
      sessionId: session.id,
      ownerId: session.ownerId,
      status: 'QUEUED',
      settings,
      clientId,
      inputSeq,
      outputSeq: null,
      model: null,
      finishReason: null,
      usage: null,
      error: null,
      cancelRequested: false,
      eventCount: 0,
      createdAt: deps.now(),
      startedAt: null,
      endedAt: null,
      leaseOwner: null,
      leaseExpiresAt: null,
      version: 1,
    };
  }

  /**
   * Refuses up front when the strategy is REJECT and the session has a run, unless that run is the
   * one a first call with the same clientId started meanwhile (a retry racing it): that run is
   * returned, for the caller to answer with.
   */
  async function checkSlot(sessionId: string, strategy: RunStrategy, clientId: string | null): Promise<Run | null> {
    if (strategy !== 'REJECT') return null;
    const holder = await storage.getSlot(sessionId);
    if (holder === null) return null;
    const earlier = clientId === null ? null : await storage.findRunByClientId(sessionId, clientId);
    if (earlier) return earlier;
    throw runActive(holder);
  }

  const runActive = (holder: string) =>
    new ConflictError('RUN_ACTIVE', `The session already has a run (${holder}); wait for it, cancel it, or send with strategy ENQUEUE or INTERRUPT`);

  /** Puts a stored QUEUED run on its way: it takes the slot now, waits its turn, or interrupts. */
  async function dispatch(run: Run, strategy: RunStrategy): Promise<Run> {
    if (await storage.moveSlot(run.sessionId, null, run.id)) {
      // Answer with the run as it starts (RUNNING), not as it was queued a moment ago.
      return (await execute(run).started) ?? (await storage.getRun(run.id)) ?? run;
    }
    if (strategy === 'REJECT') {
      // Lost a race for the slot after the check: the run is dropped, the caller told why.
      const holder = (await storage.getSlot(run.sessionId)) ?? 'another run';
      const ended = await storage.updateRun(run.id, { status: 'CANCELLED', endedAt: deps.now(), eventCount: 1 }, { expectedStatuses: ['QUEUED'] });
      if (ended) publishEnd(ended, null);
      throw runActive(holder);
    }
    if (strategy === 'INTERRUPT') {
      const earlier = await storage.listRuns({ filter: { sessionId: run.sessionId, statuses: ACTIVE_STATUSES }, direction: 'ASC', limit: 1000 });
      await Promise.all(earlier.filter((r) => r.id !== run.id && r.createdAt.getTime() <= run.createdAt.getTime()).map((r) => requestCancel(r)));
    }
    // The holder may have let go between our claim and now: it hands over only to runs it can see.
    await takeOver(run.sessionId);
    return (await storage.getRun(run.id)) ?? run;
  }

  /** Gives a free slot to the session's oldest queued run, and runs it here. */
  async function takeOver(sessionId: string): Promise<void> {
    if ((await storage.getSlot(sessionId)) !== null) return;
    const [next] = await storage.listRuns({ filter: { sessionId, statuses: ['QUEUED'] }, direction: 'ASC', limit: 1 });
    if (next && (await storage.moveSlot(sessionId, null, next.id))) execute(next);
  }

  /** Passes the slot held by `run` to the next queued run (run here), or frees it. */
  async function handOver(run: Run): Promise<void> {
    if (!stopped) {
      const [next] = await storage.listRuns({ filter: { sessionId: run.sessionId, statuses: ['QUEUED'] }, direction: 'ASC', limit: 1 });
      if (next) {
        if (await storage.moveSlot(run.sessionId, run.id, next.id)) execute(next);
        return;
      }
    }
    // A stopping instance frees the slot: its queued runs wait for another instance's sweep.
    if ((await storage.moveSlot(run.sessionId, run.id, null)) && !stopped) await takeOver(run.sessionId);
  }

  function publishEnd(run: Run, message: Message | null): void {
    const mine = local.get(run.id);
    if (mine) mine.ended = run;
    channel.publish({ type: 'END', runId: run.id, offset: run.eventCount, run, message });
    observe({ type: 'ENDED', run });
  }

  function observe(event: RunObservation): void {
    try {
      options.onRunEvent?.(event);
    } catch (error) {
      report(error, event.run);
    }
  }

  /** Starts a run that holds its session's slot, in the background. */
  function execute(queued: Run): LocalRun {
    const controller = new AbortController();
    let markStarted: (run: Run | null) => void = () => {};
    const started = new Promise<Run | null>((resolve) => (markStarted = resolve));
    const entry: LocalRun = { controller, stop: null, done: Promise.resolve(), started, markStarted, ended: null };
    local.set(queued.id, entry);
    const work = () => generate(queued, entry).then(() => entry.ended);
    entry.done = (options.wrapRun ? options.wrapRun(queued, work) : work())
      .then(() => {})
      .catch((error: unknown) => report(error, queued))
      .finally(() => {
        entry.markStarted(null);
        local.delete(queued.id);
      });
    return entry;
  }

  async function generate(queued: Run, entry: LocalRun): Promise<void> {
    const startedAt = deps.now();
    const lease = () => new Date(deps.now().getTime() + leaseMs);
    const running = await storage
      .updateRun(queued.id, { status: 'RUNNING', startedAt, leaseOwner: instanceId, leaseExpiresAt: lease() }, { expectedStatuses: ['QUEUED'] })
      .catch((error: unknown) => (error instanceof NotFoundError ? null : Promise.reject(error)));
    entry.markStarted(running);
    if (!running) {
      // Cancelled while queued, or its session is gone: the slot moves on. Unless another instance
      // started it first (a sweep taking over a stalled hand-over, or the other way round): the
      // slot is that instance's run now.
      const now = await storage.getRun(queued.id).catch(() => null);
      if (now?.status !== 'RUNNING') await handOver(queued).catch((error: unknown) => report(error, queued));
      return;
    }
    let offset = 0;
    let text = '';
    let finish: { finishReason: Run['finishReason']; usage: Usage | null; model: string } | null = null;
    let failure: RunError | null = null;

    // The lease held, as far as this instance knows: renewals that fail for two thirds of a lease
    // make it let go, so that it stops before another instance may take the run over.
    let heldUntil = running.leaseExpiresAt?.getTime() ?? Date.now() + leaseMs;
    const renew = setInterval(() => {
      const next = lease();
      storage
        .updateRun(running.id, { leaseExpiresAt: next, eventCount: offset }, { expectedStatuses: ['RUNNING'] })
        .then((now) => {
          if (!now) halt(entry, { kind: 'LOST' });
          else if (now.cancelRequested) halt(entry, { kind: 'CANCELLED' });
          else heldUntil = next.getTime();
        })
        .catch((error: unknown) => {
          if (error instanceof NotFoundError) return halt(entry, { kind: 'GONE' });
          report(error, running);
          if (deps.now().getTime() >= heldUntil - leaseMs / 3) halt(entry, { kind: 'LOST' });
        });
    }, Math.max(10, Math.floor(leaseMs / 3)));
    const timeout = setTimeout(
      () => halt(entry, { kind: 'FAILED', error: { code: 'RUN_TIMEOUT', message: `The run took longer than RUN_TIMEOUT_MS (${limits.runTimeoutMs} ms)` } }),
      limits.runTimeoutMs,
    );

    try {
      const session = await sessionOf(running.sessionId);
      const history = await storage.listMessages(session.id, { beforeSeq: running.inputSeq + 1, direction: 'DESC', limit: window.maxMessages });
      history.reverse();
      const persona = session.personaId === null ? null : await storage.getUser(session.personaId);
      const prompt = buildPrompt(session, history, persona, window);
      const maxOutputTokens = Math.min(running.settings.maxOutputTokens ?? limits.maxOutputTokens, limits.maxOutputTokens);
      for await (const chunk of provider.stream({
        model: running.settings.model ?? session.model,
        messages: prompt.messages,
        maxOutputTokens,
        temperature: running.settings.temperature ?? undefined,
        signal: entry.controller.signal,
      })) {
        if (entry.stop) break;
        if (chunk.type === 'delta') {
          if (chunk.text === '') continue;
          text += chunk.text;
          offset += 1;
          channel.publish({ type: 'DELTA', runId: running.id, offset, text: chunk.text });
          if (offset === 1) observe({ type: 'FIRST_TOKEN', run: running, ms: deps.now().getTime() - startedAt.getTime() });
        } else {
          finish = { finishReason: chunk.finishReason, usage: chunk.usage, model: chunk.model };
        }
      }
      if (!finish && !entry.stop) failure = { code: 'BAD_RESPONSE', message: 'The provider ended its reply without saying how it finished' };
    } catch (error) {
      if (!entry.stop) {
        if (error instanceof ModelError) failure = { code: error.reason, message: error.message };
        else if (error instanceof NotFoundError) halt(entry, { kind: 'GONE' });
        else {
          report(error, running);
          failure = { code: 'INTERNAL', message: 'The run failed inside Parley; the server log has the details' };
        }
      }
    } finally {
      clearInterval(renew);
      clearTimeout(timeout);
    }

    const stop = entry.stop as StopReason | null;
    if (stop?.kind === 'LOST') return; // another instance ended it and published its end
    if (stop?.kind === 'GONE') return gone(running, offset);
    const status: RunStatus = stop?.kind === 'CANCELLED' ? 'CANCELLED' : stop?.kind === 'FAILED' || failure ? 'FAILED' : 'SUCCEEDED';
    const error = stop?.kind === 'FAILED' ? stop.error : failure;
    const endedAt = deps.now();
    let message: Message | null = null;
    try {
      if (text !== '' || status === 'SUCCEEDED') {
        message = await storeReply(running, text, {
          status,
          model: finish?.model ?? running.settings.model,
          finishReason: finish?.finishReason ?? null,
          usage: finish?.usage ?? null,
          latencyMs: endedAt.getTime() - startedAt.getTime(),
        });
      }
    } catch (storeError) {
      if (storeError instanceof NotFoundError) return gone(running, offset);
      report(storeError, running);
      return finishRun(running, { status: 'FAILED', error: { code: 'INTERNAL', message: 'The reply could not be stored' }, offset, endedAt, finish, message: null });
    }
    await finishRun(running, { status, error, offset, endedAt, finish, message });
  }

  async function finishRun(
    running: Run,
    end: { status: RunStatus; error: RunError | null; offset: number; endedAt: Date; finish: { finishReason: Run['finishReason']; usage: Usage | null; model: string } | null; message: Message | null },
  ): Promise<void> {
    const ended = await storage
      .updateRun(
        running.id,
        {
          status: end.status,
          error: end.error,
          endedAt: end.endedAt,
          outputSeq: end.message?.seq ?? null,
          model: end.finish?.model ?? null,
          finishReason: end.finish?.finishReason ?? null,
          usage: end.finish?.usage ?? null,
          eventCount: end.offset + 1,
          leaseOwner: null,
          leaseExpiresAt: null,
        },
        { expectedStatuses: ['RUNNING'] },
      )
      .catch((error: unknown) => (error instanceof NotFoundError ? 'GONE' : Promise.reject(error)));
    if (ended === 'GONE') return gone(running, end.offset);
    if (!ended) return; // the lease was lost meanwhile: whoever ended the run published its end
    publishEnd(ended, end.message);
    await handOver(ended);
  }

  /** The end of a run whose session was removed under it (the run went with it): its subscribers learn it is over. */
  function gone(running: Run, offset: number): void {
    const endedAt = deps.now();
    publishEnd({ ...running, status: 'CANCELLED', endedAt, eventCount: offset + 1, leaseOwner: null, leaseExpiresAt: null, version: running.version + 1 }, null);
  }

  async function storeReply(run: Run, text: string, meta: { status: RunStatus; model: string | null; finishReason: string | null; usage: Usage | null; latencyMs: number }): Promise<Message> {
    const at = deps.now();
    const runMeta: JsonObject = {
      id: run.id,
      model: meta.model,
      finishReason: meta.finishReason,
      usage: meta.usage ? { promptTokens: meta.usage.promptTokens, completionTokens: meta.usage.completionTokens } : null,
      latencyMs: meta.latencyMs,
    };
    if (meta.status !== 'SUCCEEDED') {
      runMeta.incomplete = true;
      runMeta.status = meta.status;
    }
    const result = await storage.appendMessages(
      run.sessionId,
      [{ id: deps.newId(), role: 'ASSISTANT', content: text, name: null, metadata: { run: runMeta }, createdAt: at, clientId: `run:${run.id}` }],
      { maxMessages: limits.maxMessagesPerSession, at, expiresAt: deps.expiry(at) },
    );
    if (result.added.length > 0) deps.publish({ type: 'MESSAGES_ADDED', session: result.session, messages: result.added });
    return result.messages[0] as Message;
  }

  async function requestCancel(run: Run): Promise<Run> {
    if (run.status === 'QUEUED') {
      const ended = await storage.updateRun(run.id, { status: 'CANCELLED', endedAt: deps.now(), eventCount: 1 }, { expectedStatuses: ['QUEUED'] });
      if (ended) {
        publishEnd(ended, null);
        return ended;
      }
      run = (await storage.getRun(run.id)) ?? run;
    }
    if (run.status !== 'RUNNING') return run;
    const marked = await storage.updateRun(run.id, { cancelRequested: true }, { expectedStatuses: ['RUNNING'] });
    const mine = local.get(run.id);
    if (mine) halt(mine, { kind: 'CANCELLED' });
    else channel.requestCancel(run.id);
    return marked ?? (await storage.getRun(run.id)) ?? run;
  }

  /** Waits until the run is over, for at most `ms`; the run as it is then. */
  async function settle(run: Run, ms: number): Promise<Run> {
    const mine = local.get(run.id);
    if (mine) {
      await Promise.race([mine.done, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
      return (await storage.getRun(run.id)) ?? run;
    }
    const until = Date.now() + ms;
    let current = run;
    while (!FINAL_STATUSES.includes(current.status) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50).unref());
      current = (await storage.getRun(run.id)) ?? current;
    }
    return current;
  }

  /** Ends the runs whose instance stopped renewing their lease. Returns how many it ended. */
  async function sweepRuns(): Promise<number> {
    const expired = await storage.listExpiredRuns(deps.now(), 100);
    let count = 0;
    for (const run of expired) {
      const offset = Math.max(run.eventCount, await channel.lastOffset(run.id)) + 1;
      const ended = await storage.updateRun(
        run.id,
        run.cancelRequested
          ? { status: 'CANCELLED', endedAt: deps.now(), eventCount: offset, leaseOwner: null, leaseExpiresAt: null }
          : {
              status: 'FAILED',
              endedAt: deps.now(),
              eventCount: offset,
              leaseOwner: null,
              leaseExpiresAt: null,
              error: { code: 'LEASE_EXPIRED', message: `The instance running it stopped renewing its lease (${run.leaseOwner ?? 'unknown'}); what it generated was not stored` },
            },
        { expectedStatuses: ['RUNNING'], expectedVersion: run.version },
      );
      if (!ended) continue;
      count += 1;
      // The channel moves it after whatever the lost instance published meanwhile (see RunChannel).
      publishEnd(ended, null);
      await handOver(ended);
    }
    if (!stopped) {
      const waiting = await storage.listRuns({ filter: { statuses: ['QUEUED'] }, direction: 'ASC', limit: 100 });
      const stalledBefore = deps.now().getTime() - leaseMs;
      for (const sessionId of new Set(waiting.map((r) => r.sessionId))) {
        const holder = await storage.getSlot(sessionId);
        // Queued runs left behind with a free slot (their instance stopped while they waited).
        if (holder === null) await takeOver(sessionId);
        else {
          // A queued run given the slot by an instance that died before starting it: nobody else
          // would ever start it, and the session would refuse every run. Started here; should its
          // instance be alive after all, only one of the two starts it (see generate).
          const stalled = waiting.find((r) => r.id === holder && r.createdAt.getTime() < stalledBefore);
          if (stalled) execute(stalled);
        }
      }
    }
    return count;
  }

  /** The whole reply to `messages`, for calls that need no streaming (summaries, simulated turns). */
  async function complete(messages: ChatMessage[], model: string | null): Promise<{ text: string; model: string | null; usage: Usage | null }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new ModelError('TIMEOUT', `The model took longer than RUN_TIMEOUT_MS (${limits.runTimeoutMs} ms)`)), limits.runTimeoutMs);
    let text = '';
    let end: { model: string; usage: Usage | null } | null = null;
    try {
      for await (const chunk of provider.stream({ model, messages, maxOutputTokens: limits.maxOutputTokens, signal: controller.signal })) {
        if (chunk.type === 'delta') text += chunk.text;
        else end = { model: chunk.model, usage: chunk.usage };
      }
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof ModelError) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return { text: text.trim(), model: end?.model ?? model, usage: end?.usage ?? null };
  }

  async function store(session: Session, drafts: Omit<Message, 'seq' | 'sessionId'>[]): Promise<{ session: Session; messages: Message[] }> {
    const at = deps.now();
    const result = await storage.appendMessages(session.id, drafts, { maxMessages: limits.maxMessagesPerSession, at, expiresAt: deps.expiry(at) });
    if (result.added.length > 0) deps.publish({ type: 'MESSAGES_ADDED', session: result.session, messages: result.added });
    return result;
  }

  async function messageAt(sessionId: string, seq: number): Promise<Message | null> {
    const [message] = await storage.listMessages(sessionId, { afterSeq: seq - 1, beforeSeq: seq + 1, direction: 'ASC', limit: 1 });
    return message ?? null;
  }

  async function personaOf(personaId: string): Promise<User> {
    const persona = await storage.getUser(personaId);
    if (!persona) throw new ValidationError([{ path: ['personaId'], message: 'No user profile has this id' }]);
    return persona;
  }

  return {
    /**
     * Asks the model for a summary of the session (its prompt window of history) and stores it on
     * the session, with the last seq it covers. Fails with a ModelError when the model cannot answer.
     */
    async summarizeSession(sessionId: string): Promise<Session> {
      const session = await sessionOf(sessionId);
      if (session.messageCount === 0) throw new ValidationError([{ path: ['id'], message: 'The session has no messages to summarize' }]);
      const history = await storage.listMessages(session.id, { beforeSeq: session.lastSeq + 1, direction: 'DESC', limit: window.maxMessages });
      history.reverse();
      const transcript = buildPrompt({ systemPrompt: null }, history, null, window)
        .messages.map((m) => `${m.role.toUpperCase()}: ${m.content ?? ''}`)
        .join('\n\n');
      const { text } = await complete(
        [
          { role: 'system', content: 'You summarize conversations between a user and an AI assistant: a few sentences on what was asked, what was answered, and what is still open. Reply with the summary only.' },
          { role: 'user', content: transcript },
        ],
        session.model,
      );
      const at = deps.now();
      const updated = await storage.updateSession(session.id, { summary: text, summarizedUpToSeq: session.lastSeq }, { at, expiresAt: deps.expiry(at) });
      deps.publish({ type: 'SESSION_UPDATED', session: updated });
      return updated;
    },

    /**
     * Lets the model play the persona: it writes the user's next message from the persona's
     * profile, then the assistant's reply, `turns` times, stored as ordinary messages (marked
     * `metadata.simulated`). For generating conversations for evaluation and training data.
     */
    async simulateTurns(sessionId: string, input: InputOf<'simulateTurns'>): Promise<{ session: Session; messages: Message[] }> {
      const args = parseInput(deps.inputs.simulateTurns, input);
      let session = await sessionOf(sessionId);
      const persona = await personaOf(args.personaId);
      const holder = await storage.getSlot(sessionId);
      if (holder !== null) throw runActive(holder);
      if (session.messagesByRole.USER + args.turns > limits.maxTurnsPerSession) {
        throw new LimitExceededError([
          {
            limit: 'maxTurnsPerSession',
            max: limits.maxTurnsPerSession,
            actual: session.messagesByRole.USER + args.turns,
            path: ['turns'],
            message: `The session would have ${session.messagesByRole.USER + args.turns} user messages; at most ${limits.maxTurnsPerSession} are allowed`,
          },
        ]);
      }
      const added: Message[] = [];
      const simulated = { simulated: { personaId: persona.id } };
      for (let turn = 0; turn < args.turns; turn++) {
        const history = await storage.listMessages(session.id, { beforeSeq: session.lastSeq + 1, direction: 'DESC', limit: window.maxMessages });
        history.reverse();
        // The persona's side: the conversation seen from the user's chair, roles swapped.
        const asUser = buildPrompt({ systemPrompt: null }, history, null, window).messages.flatMap((m): ChatMessage[] =>
          m.role === 'user' ? [{ role: 'assistant', content: m.content }] : m.role === 'assistant' ? [{ role: 'user', content: m.content }] : [],
        );
        const who = `You are ${persona.name}.${persona.profile ? ` About you:\n${persona.profile}` : ''}\nYou are talking with an AI assistant. Write your next message to it, as ${persona.name} would, and nothing else.`;
        const userTurn = await complete([{ role: 'system', content: who }, ...(asUser.length > 0 ? asUser : [{ role: 'user' as const, content: 'Start the conversation.' }])], session.model);
        const at = deps.now();
        let stored = await store(session, [{ id: deps.newId(), role: 'USER', content: userTurn.text, name: null, metadata: simulated, createdAt: at, clientId: null }]);
        session = stored.session;
        added.push(...stored.messages);
        const prompt = buildPrompt(session, [...history, ...stored.messages], persona, window);
        const reply = await complete(prompt.messages, session.model);
        stored = await store(session, [
          {
            id: deps.newId(),
            role: 'ASSISTANT',
            content: reply.text,
            name: null,
            metadata: { ...simulated, model: reply.model, usage: reply.usage ? { promptTokens: reply.usage.promptTokens, completionTokens: reply.usage.completionTokens } : null },
            createdAt: deps.now(),
            clientId: null,
          },
        ]);
        session = stored.session;
        added.push(...stored.messages);
      }
      return { session, messages: added };
    },

    /**
     * Appends a user message and starts a run that answers it. A retry with the message's clientId
     * appends nothing and returns the run the first call started.
     */
    async sendMessage(sessionId: string, input: InputOf<'sendMessage'>): Promise<{ session: Session; message: Message; run: Run }> {
      const args = parseInput(deps.inputs.sendMessage, input);
      const clientId = args.message.clientId ?? null;
      const session = await sessionOf(sessionId);
      if (clientId !== null) {
        const earlier = await storage.findRunByClientId(sessionId, clientId);
        if (earlier) {
          const message = await messageAt(sessionId, earlier.inputSeq);
          if (message) return { session, message, run: earlier };
        }
      }
      const strategy = args.run?.strategy ?? 'REJECT';
      if (session.messagesByRole.USER >= limits.maxTurnsPerSession) {
        throw new LimitExceededError([
          {
            limit: 'maxTurnsPerSession',
            max: limits.maxTurnsPerSession,
            actual: session.messagesByRole.USER + 1,
            path: ['message'],
            message: `The session has ${session.messagesByRole.USER} user messages; at most ${limits.maxTurnsPerSession} are allowed`,
          },
        ]);
      }
      await checkRunLimits(session, ['run']);
      const raced = await checkSlot(sessionId, strategy, clientId);
      if (raced) {
        const message = await messageAt(sessionId, raced.inputSeq);
        if (message) return { session, message, run: raced };
      }
      const at = deps.now();
      let appended;
      try {
        appended = await storage.appendMessages(
          sessionId,
          [{ id: deps.newId(), role: 'USER', content: args.message.content, name: args.message.name ?? null, metadata: args.message.metadata ?? {}, createdAt: at, clientId }],
          { expectedSeq: args.expectedSeq ?? null, maxMessages: limits.maxMessagesPerSession, at, expiresAt: deps.expiry(at) },
        );
      } catch (error) {
        throw renamePath(error, ['messages', 0], ['message']);
      }
      if (appended.added.length > 0) deps.publish({ type: 'MESSAGES_ADDED', session: appended.session, messages: appended.added });
      const message = appended.messages[0] as Message;
      const { run, created } = await storage.createRun(newRun(appended.session, message.seq, settingsOf(args.run), clientId));
      return { session: appended.session, message, run: created ? await dispatch(run, strategy) : run };
    },

    /** Starts a run that answers the session as it is (regenerate, or answer a message appended earlier). */
    async startRun(sessionId: string, input: InputOf<'startRun'> = {}): Promise<Run> {
      const args = parseInput(deps.inputs.startRun, input);
      const clientId = args.clientId ?? null;
      if (clientId !== null) {
        const earlier = await storage.findRunByClientId(sessionId, clientId);
        if (earlier) return earlier;
      }
      const session = await sessionOf(sessionId);
      const strategy = args.strategy ?? 'REJECT';
      await checkRunLimits(session, []);
      const raced = await checkSlot(sessionId, strategy, clientId);
      if (raced) return raced;
      const { run, created } = await storage.createRun(newRun(session, session.lastSeq, settingsOf(args), clientId));
      return created ? dispatch(run, strategy) : run;
    },

    /**
     * Stops a run: a queued one at once, a running one within a second on whichever instance runs
     * it. Returns the run once it is over (or after a few seconds, as it is then). A run that is
     * over already is returned unchanged.
     */
    async cancelRun(runId: string): Promise<Run> {
      const run = await storage.getRun(runId);
      if (!run) throw new NotFoundError('Run', runId);
      if (FINAL_STATUSES.includes(run.status)) return run;
      return settle(await requestCancel(run), CANCEL_WAIT_MS);
    },

    findRun: (id: string) => storage.getRun(id),

    async getRun(id: string): Promise<Run> {
      const run = await storage.getRun(id);
      if (!run) throw new NotFoundError('Run', id);
      return run;
    },

    /** The session's run in progress (running, or next in line), or null. */
    async activeRun(sessionId: string): Promise<Run | null> {
      const id = await storage.getSlot(sessionId);
      return id === null ? null : storage.getRun(id);
    },

    /** Runs of a session, newest first. */
    async sessionRuns(sessionId: string, limit: number): Promise<Run[]> {
      return storage.listRuns({ filter: { sessionId }, direction: 'DESC', limit });
    },

    sweepRuns,

    /** The END event of a run that is over, from storage (its stored message included); null while it runs. */
    async endEvent(runId: string): Promise<RunEvent | null> {
      const run = await storage.getRun(runId);
      if (!run || !FINAL_STATUSES.includes(run.status)) return null;
      const message = run.outputSeq === null ? null : await messageAt(run.sessionId, run.outputSeq);
      return { type: 'END', runId, offset: run.eventCount, run, message };
    },

    /** Runs in progress on this instance. */
    localRunCount: () => local.size,

    /**
     * Stops every run of this instance: each one ends FAILED (SERVER_STOPPED), keeping what it had
     * generated as an incomplete message. Queued runs stay queued for another instance.
     */
    async stopRuns(): Promise<void> {
      stopped = true;
      stopCancel();
      const entries = [...local.values()];
      for (const entry of entries) halt(entry, { kind: 'FAILED', error: { code: 'SERVER_STOPPED', message: 'The server running it was stopped' } });
      await Promise.all(entries.map((entry) => entry.done));
    },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus, type EventBus } from '../../src/live/bus.js';
import { eventually, MESSAGE_ADDED, startApp, subscribe, type MessageAdded, type Running } from './helpers.js';

let running: Running | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('messageAdded over graphql-ws', () => {
  it('replays after afterSeq, then goes live, with no gap and no duplicate while 10 writers append 500 messages', async () => {
    running = await startApp();
    const { service } = running.app;
    await service.createSession({ id: 'busy', messages: range(1, 20).map((i) => ({ role: 'USER' as const, content: `seed ${i}` })) });
    const writers = range(1, 10).map(async (w) => {
      for (let batch = 0; batch < 10; batch++) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 15));
        await service.appendMessages('busy', { messages: range(1, 5).map((i) => ({ role: 'USER' as const, content: `w${w} b${batch} m${i}` })) });
      }
    });
    const sub = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 'busy', after: 10 });
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    const whenListening = (await service.getSession('busy')).lastSeq;
    await Promise.all(writers);
    // The switch from replay to live happened while the writers were busy.
    expect(whenListening).toBeGreaterThan(20);
    expect(whenListening).toBeLessThan(520);
    const values = await sub.received(510);
    expect(values.map((v) => v.messageAdded.seq)).toEqual(range(11, 520));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sub.values).toHaveLength(510);
    expect(sub.errors).toEqual([]);
  });

  it('without afterSeq, delivers only what is appended from now on', async () => {
    running = await startApp();
    await running.app.service.createSession({ id: 's', messages: [{ role: 'USER', content: 'old' }] });
    const sub = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 's' });
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    await running.app.service.appendMessages('s', { messages: [{ role: 'USER', content: 'new' }] });
    expect((await sub.received(1)).map((v) => v.messageAdded)).toEqual([{ seq: 2, content: 'new' }]);
  });

  it('completes when the session is deleted, and reports an unknown session with a code', async () => {
    running = await startApp();
    await running.app.service.createSession({ id: 'short-lived' });
    const sub = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 'short-lived' });
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    await running.app.service.deleteSession('short-lived');
    await sub.completed;
    expect(sub.errors).toEqual([]);
    expect(running.app.events.listenerCount()).toBe(0);
    const missing = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 'never' });
    await missing.completed;
    expect(missing.errors).toMatchObject([{ message: 'Session never was not found', extensions: { code: 'NOT_FOUND' } }]);
  });

  it('gives each subscriber its own selection and variables when many follow one session', async () => {
    // Subscribers with the same document, variables and caller share one execution per message;
    // none may receive another group's answer.
    running = await startApp();
    await running.app.service.createSession({ id: 's' });
    const client = running.ws();
    const same = [1, 2, 3].map(() => subscribe<MessageAdded>(client, MESSAGE_ADDED, { id: 's' }));
    const other = subscribe<{ messageAdded: { role: string; seq: number } }>(client, 'subscription($id: ID!) { messageAdded(sessionId: $id) { role seq } }', { id: 's' });
    const aliased = subscribe<{ m: { n: number } }>(running.ws(), 'subscription { m: messageAdded(sessionId: "s") { n: seq } }');
    await eventually(() => running!.app.events.listenerCount() === 5, 5000, 'five subscriptions');
    await running.app.service.appendMessages('s', { messages: [{ role: 'USER', content: 'one' }, { role: 'ASSISTANT', content: 'two' }] });
    for (const sub of same) expect(await sub.received(2)).toEqual([{ messageAdded: { seq: 1, content: 'one' } }, { messageAdded: { seq: 2, content: 'two' } }]);
    expect(await other.received(2)).toEqual([{ messageAdded: { role: 'USER', seq: 1 } }, { messageAdded: { role: 'ASSISTANT', seq: 2 } }]);
    expect(await aliased.received(2)).toEqual([{ m: { n: 1 } }, { m: { n: 2 } }]);
    // A late subscriber replays stored messages and then joins the live ones.
    const late = subscribe<MessageAdded>(client, MESSAGE_ADDED, { id: 's', after: 1 });
    await eventually(() => running!.app.events.listenerCount() === 6, 5000, 'the late subscription');
    await running.app.service.appendMessages('s', { messages: [{ role: 'USER', content: 'three' }] });
    expect((await late.received(2)).map((v) => v.messageAdded.seq)).toEqual([2, 3]);
    expect((await same[0]!.received(3)).map((v) => v.messageAdded.seq)).toEqual([1, 2, 3]);
    expect([...same, other, aliased, late].flatMap((sub) => sub.errors)).toEqual([]);
  });

  it('frees its listener when the client unsubscribes or its socket drops', async () => {
    running = await startApp();
    await running.app.service.createSession({ id: 's' });
    const client = running.ws();
    const a = subscribe(client, MESSAGE_ADDED, { id: 's' });
    const b = subscribe(client, 'subscription { sessionEvents { type sessionId } }');
    await eventually(() => running!.app.events.listenerCount() === 2, 5000, 'both subscriptions');
    a.unsubscribe();
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the first listener to go');
    b.unsubscribe();
    await eventually(() => running!.app.events.listenerCount() === 0, 5000, 'the second listener to go');
    const dropped = running.ws();
    subscribe(dropped, MESSAGE_ADDED, { id: 's', after: 0 });
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'a new subscription');
    await dropped.dispose();
    await eventually(() => running!.app.events.listenerCount() === 0, 5000, 'the dropped socket to free its listener');
  });
});

describe('messageAdded after missed events', () => {
  it('delivers a burst of 350 messages whose events never reached the subscriber, each once and in order', async () => {
    // A bus that loses MESSAGES_ADDED events on their way to subscribers, as across a Redis reconnect.
    const bus = createEventBus();
    let withhold = false;
    const lossy: EventBus = {
      publish: (event) => bus.publish(event),
      subscribe: (topic, listener) => bus.subscribe(topic, (event) => (withhold && event.type === 'MESSAGES_ADDED' ? undefined : listener(event))),
      listenerCount: () => bus.listenerCount(),
      isUp: () => bus.isUp(),
      close: () => bus.close(),
    };
    running = await startApp({}, lossy);
    const { service } = running.app;
    await service.createSession({ id: 'burst' });
    const sub = subscribe<MessageAdded>(running.ws(), MESSAGE_ADDED, { id: 'burst' });
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    const batch = (count: number) => service.appendMessages('burst', { messages: range(1, count).map((i) => ({ role: 'USER' as const, content: `m${i}` })) });
    await batch(1);
    withhold = true;
    for (let i = 0; i < 7; i++) await batch(50);
    withhold = false;
    await batch(1);
    const sent = 352;
    await sub.received(sent, 15_000).catch(() => undefined);
    const seqs = sub.values.map((v) => v.messageAdded.seq);
    const figures = { sent, delivered: seqs.length, duplicated: seqs.length - new Set(seqs).size, missing: range(1, sent).filter((s) => !seqs.includes(s)).length };
    if (process.env.LIVE_FIGURES) console.info(JSON.stringify(figures));
    expect(seqs).toEqual(range(1, sent));
    expect(sub.errors).toEqual([]);
  });
});

describe('sessionEvents', () => {
  it('announces creation, updates (new messages included) and deletion of one owner sessions', async () => {
    running = await startApp();
    const sub = subscribe<{ sessionEvents: { type: string; sessionId: string; session: { title: string | null; messageCount: number } } }>(
      running.ws(),
      'subscription($owner: ID) { sessionEvents(ownerId: $owner) { type sessionId session { title messageCount } } }',
      { owner: 'alice' },
    );
    await eventually(() => running!.app.events.listenerCount() === 1, 5000, 'the subscription');
    const { service } = running.app;
    await service.createSession({ id: 'theirs', ownerId: 'bob' });
    await service.createSession({ id: 'mine', ownerId: 'alice', title: 'Hi' });
    await service.appendMessages('mine', { messages: [{ role: 'USER', content: 'x' }] });
    await service.updateSession('mine', { title: 'Renamed' });
    await service.deleteSession('mine');
    const events = (await sub.received(4)).map((v) => v.sessionEvents);
    expect(events).toEqual([
      { type: 'CREATED', sessionId: 'mine', session: { title: 'Hi', messageCount: 0 } },
      { type: 'UPDATED', sessionId: 'mine', session: { title: 'Hi', messageCount: 1 } },
      { type: 'UPDATED', sessionId: 'mine', session: { title: 'Renamed', messageCount: 1 } },
      { type: 'DELETED', sessionId: 'mine', session: { title: 'Renamed', messageCount: 1 } },
    ]);
  });
});

describe('sessionEvents with resyncFirst', () => {
  it('sends one RESYNC first, once the subscription hears every change, then the changes', async () => {
    running = await startApp();
    const { app } = running;
    let listeningWhenResynced: number | null = null;
    const sub = subscribe<{ sessionEvents: { type: string; sessionId: string | null } }>(
      running.ws(),
      'subscription { sessionEvents(resyncFirst: true) { type sessionId } }',
    );
    await sub.received(1);
    listeningWhenResynced = app.events.listenerCount();
    // A list read now, on the RESYNC, would see this session; so does the stream that follows.
    await app.service.createSession({ id: 'after-resync' });
    const events = (await sub.received(2)).map((v) => v.sessionEvents);
    expect(listeningWhenResynced).toBe(1);
    expect(events).toEqual([
      { type: 'RESYNC', sessionId: null },
      { type: 'CREATED', sessionId: 'after-resync' },
    ]);
    // Without it (the default), the stream starts with the first change.
    const plain = subscribe<{ sessionEvents: { type: string } }>(running.ws(), 'subscription { sessionEvents { type } }');
    await eventually(() => app.events.listenerCount() === 2, 5000, 'the second subscription');
    await app.service.createSession({ id: 'second' });
    expect((await plain.received(1)).map((v) => v.sessionEvents.type)).toEqual(['CREATED']);
  });
});

describe('messageAdded over Server-Sent Events', () => {
  it('carries the same subscription: replay, then live', async () => {
    running = await startApp();
    await running.app.service.createSession({ id: 'sse', messages: [{ role: 'USER', content: 'stored' }] });
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: MESSAGE_ADDED, variables: { id: 'sse', after: 0 } }),
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const read = async (until: string) => {
      while (!text.includes(until)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await read('stored');
    await running.app.service.appendMessages('sse', { messages: [{ role: 'ASSISTANT', content: 'live' }] });
    await read('live');
    const events = text.split('\n').filter((line) => line.startsWith('data: ')).map((line) => JSON.parse(line.slice(6)) as { data: MessageAdded });
    expect(events.map((e) => e.data.messageAdded)).toEqual([
      { seq: 1, content: 'stored' },
      { seq: 2, content: 'live' },
    ]);
    await reader.cancel();
    await eventually(() => running!.app.events.listenerCount() === 0, 5000, 'the SSE listener to go');
  });
});

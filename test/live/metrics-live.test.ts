import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventBus } from '../../src/live/bus.js';
import { TEST_CONFIG } from '../api/client.js';
import { sample, scrape } from '../api/metrics-sample.js';
import { eventually, floodUntilCut, MESSAGE_ADDED, stalledSubscriber, startApp, type Running } from './helpers.js';
import { startOwnRedis } from './redis-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const metrics = { metrics: { ...TEST_CONFIG.metrics, enabled: true } };

async function until(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('live metrics', () => {
  it('counts a slow subscriber cut off, and the events it had not received, by field', async () => {
    const running: Running = await startApp({ ...metrics, subscriptionBuffer: 10 });
    cleanups.push(() => running.stop());
    const { app, url } = running;
    await app.service.createSession({ id: 'flood' });
    // An SSE subscriber that stops reading: the server's writes back up, then its queue fills.
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ query: MESSAGE_ADDED, variables: { id: 'flood' } }));
    });
    cleanups.push(async () => void response.destroy());
    await eventually(() => app.events.listenerCount() === 1, 5000, 'the subscription');
    response.pause();
    expect(sample(await scrape(running), 'parley_subscription_slow_cut_total', { field: 'messageAdded' })).toBe(0);
    await floodUntilCut(app, 'flood');
    expect(app.events.listenerCount()).toBe(0);
    const text = await scrape(running);
    expect(sample(text, 'parley_subscription_slow_cut_total', { field: 'messageAdded' })).toBe(1);
    expect(sample(text, 'parley_subscription_events_dropped_total', { field: 'messageAdded' })).toBeGreaterThanOrEqual(10);
    // Cut off, it is no longer open.
    await until(async () => sample(await scrape(running), 'parley_subscriptions_open', { field: 'messageAdded' }) === 0, 'the cut subscription to be counted closed');
  }, 30_000);

  it('counts a WebSocket subscriber cut off for being slow as closed', async () => {
    const running: Running = await startApp({ ...metrics, subscriptionBuffer: 10 });
    cleanups.push(() => running.stop());
    const { app, wsUrl } = running;
    await app.service.createSession({ id: 'flood-ws' });
    // The client stops reading its socket: the server's sends to it back up, then its queue fills.
    const socket = await stalledSubscriber(app, wsUrl, { query: MESSAGE_ADDED, variables: { id: 'flood-ws' } });
    cleanups.push(async () => void socket.terminate());
    expect(sample(await scrape(running), 'parley_subscriptions_open', { field: 'messageAdded' })).toBe(1);
    await floodUntilCut(app, 'flood-ws');
    expect(app.events.listenerCount()).toBe(0);
    expect(sample(await scrape(running), 'parley_subscription_slow_cut_total', { field: 'messageAdded' })).toBe(1);
    await until(async () => sample(await scrape(running), 'parley_subscriptions_open', { field: 'messageAdded' }) === 0, 'the cut subscription to be counted closed');
  }, 30_000);

  it('shows the event bus down while its Redis is, counts what it dropped meanwhile, and times publications', async () => {
    // A redis-server of this test's own: the shared one on 6379 is never stopped.
    const redis = await startOwnRedis();
    cleanups.push(() => redis.stop());
    const events = createEventBus({ redisUrl: redis.url, heartbeatMs: 100, timeoutMs: 500 });
    cleanups.push(() => events.close());
    const running = await startApp(metrics, events);
    cleanups.push(() => running.stop());
    await eventually(() => events.isUp(), 5000, 'Redis');
    expect(sample(await scrape(running), 'parley_event_bus_up')).toBe(1);
    await running.app.service.createSession({ title: 'before' });
    // Redis acknowledges a PUBLISH asynchronously: the count moves once it has.
    await until(async () => sample(await scrape(running), 'parley_event_bus_publishes_total', { outcome: 'ok' }) >= 1, 'an acknowledged publication');
    const ok = sample(await scrape(running), 'parley_event_bus_publishes_total', { outcome: 'ok' });
    expect(sample(await scrape(running), 'parley_event_bus_publish_duration_seconds_count')).toBe(ok);

    await redis.kill();
    await until(async () => sample(await scrape(running), 'parley_event_bus_up') === 0, 'the bus to be down');
    await running.app.service.createSession({ title: 'during' });
    expect(sample(await scrape(running), 'parley_event_bus_publishes_total', { outcome: 'dropped' })).toBeGreaterThanOrEqual(1);

    await redis.restart();
    await until(async () => sample(await scrape(running), 'parley_event_bus_up') === 1, 'the bus to be back');
    await running.app.service.createSession({ title: 'after' });
    await until(async () => sample(await scrape(running), 'parley_event_bus_publishes_total', { outcome: 'ok' }) > ok, 'a publication after the outage');
  }, 30_000);
});

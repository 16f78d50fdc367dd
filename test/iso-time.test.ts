import { describe, expect, it } from 'vitest';
import { EARLIEST_DATE_MS, LATEST_DATE_MS } from '../src/core/bounds.js';
import { isoTime } from '../src/graphql/iso-time.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('isoTime', () => {
  it('writes what toISOString writes at the edges of the range, of eras, centuries and leap days', () => {
    const edges = [
      EARLIEST_DATE_MS,
      LATEST_DATE_MS,
      0,
      -1,
      1,
      Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(2000, 1, 29, 12, 0, 0, 5),
      Date.UTC(1900, 1, 28, 23, 59, 59, 999),
      Date.UTC(1900, 2, 1),
      Date.UTC(2100, 1, 28, 23, 59, 59, 999),
      Date.UTC(2100, 2, 1),
      Date.UTC(2400, 1, 29),
      Date.UTC(1600, 0, 1),
      Date.UTC(400, 1, 29),
      Date.parse('0000-02-29T00:00:00.000Z'),
      Date.parse('0000-03-01T00:00:00.000Z'),
      Date.parse('0099-12-31T23:59:59.999Z'),
      Date.parse('0100-01-01T00:00:00.000Z'),
      Date.parse('2026-12-03T07:46:47.120Z'),
    ];
    for (const ms of edges) expect(isoTime(ms), String(ms)).toBe(iso(ms));
  });

  it('writes what toISOString writes for 200,000 moments across the range and around now', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const span = LATEST_DATE_MS - EARLIEST_DATE_MS;
    const now = Date.now();
    for (let i = 0; i < 100_000; i++) {
      const anywhere = EARLIEST_DATE_MS + Math.floor(random() * span);
      const recent = now - Math.floor(random() * 400 * 86_400_000);
      expect(isoTime(anywhere)).toBe(iso(anywhere));
      expect(isoTime(recent)).toBe(iso(recent));
    }
    // Every day boundary of four years around a leap year.
    for (let day = Date.UTC(2023, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
      expect(isoTime(day)).toBe(iso(day));
      expect(isoTime(day - 1)).toBe(iso(day - 1));
    }
  });
});

import type { JsonObject, JsonValue } from '../../src/core/json.js';

/*
 * Metadata and context are free JSON: their keys may contain '.', start with '$', contain NUL or be
 * empty, none of which MongoDB can store or query safely (a '.' reads as a path, a '$' as an
 * operator, NUL ends a BSON key). Keys are therefore stored escaped, reversibly: '%', '.', '$' and
 * NUL become %XX, and the empty key becomes '%' (which no other key can produce). A stored key is
 * then a plain field name, so `metadata.<escaped key>` is always a path of exactly one level.
 */

const SPECIAL = /[%.$\0]/g;
const ESCAPE = /%([0-9A-F]{2})/g;

/** A key as stored: a plain field name. */
export function escapeKey(key: string): string {
  if (key === '') return '%';
  return key.replace(SPECIAL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The key that escapeKey turned into `key`. */
export function unescapeKey(key: string): string {
  if (key === '%') return '';
  return key.includes('%') ? key.replace(ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : key;
}

/** A deep copy of a JSON object with every key escaped, ready to be stored. */
export function toStoredJson(value: JsonObject): JsonObject {
  return mapKeys(value, escapeKey) as JsonObject;
}

/** A deep copy of a stored JSON object with every key restored. */
export function fromStoredJson(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (mapKeys(value as JsonValue, unescapeKey) as JsonObject) : {};
}

function mapKeys(value: JsonValue, rename: (key: string) => string): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mapKeys(item, rename));
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [rename(key), mapKeys(item, rename)]));
}

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets a key as an own property. Plain assignment would not do for "__proto__", which JSON allows
 * as an ordinary key but which assignment takes for the object's prototype.
 */
export function setKey(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}

/** A deep copy of a JSON value: stored data never shares objects with callers. */
export function cloneJson<T extends JsonValue>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) setKey(copy, key, cloneJson((value as JsonObject)[key] as JsonValue));
  return copy as T;
}

/** The keys of each object in turn, later objects winning: Object.assign, safe for every key. */
export function mergeObjects(objects: readonly JsonObject[]): JsonObject {
  const merged: JsonObject = {};
  for (const object of objects) for (const key of Object.keys(object)) setKey(merged, key, cloneJson(object[key] as JsonValue));
  return merged;
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aKeys = Object.keys(a);
  const bObj = b as JsonObject;
  if (aKeys.length !== Object.keys(bObj).length) return false;
  return aKeys.every((key) => key in bObj && jsonEqual((a as JsonObject)[key], bObj[key]));
}

/** Whether a string is well-formed Unicode (no lone surrogate), so that it can be stored and sent as UTF-8. */
export function isWellFormed(text: string): boolean {
  return text.isWellFormed();
}

export const ILL_FORMED = 'Not well-formed Unicode (it holds a lone surrogate)';

export interface JsonProblem {
  path: (string | number)[];
  message: string;
  /** Set when the problem is a configured limit being exceeded. */
  limit?: { name: string; max: number };
}

export interface JsonShapeLimits {
  maxDepth: number;
  maxKeys: { name: string; max: number };
  maxBytes: { name: string; max: number };
}

/**
 * Checks that a value is a JSON object within the given limits. Reports every problem with its
 * path, and stops descending at the depth limit so hostile input costs bounded work.
 */
export function checkJsonObject(value: unknown, limits: JsonShapeLimits): JsonProblem[] {
  if (!isPlainObject(value)) return [{ path: [], message: 'Expected a JSON object' }];
  const problems: JsonProblem[] = [];
  let keys = 0;
  const visit = (node: unknown, path: (string | number)[], depth: number): void => {
    if (typeof node === 'string') {
      if (!isWellFormed(node)) problems.push({ path, message: ILL_FORMED });
      return;
    }
    if (node === null || typeof node === 'boolean') return;
    if (typeof node === 'number') {
      if (!Number.isFinite(node)) problems.push({ path, message: 'Numbers must be finite' });
      return;
    }
    if (typeof node !== 'object') {
      problems.push({ path, message: `A ${typeof node} is not a JSON value` });
      return;
    }
    if (depth > limits.maxDepth) {
      problems.push({
        path,
        message: `Nested deeper than ${limits.maxDepth} levels`,
        limit: { name: 'maxJsonDepth', max: limits.maxDepth },
      });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i], depth + 1));
      return;
    }
    if (!isPlainObject(node)) {
      problems.push({ path, message: 'Only plain objects are JSON objects' });
      return;
    }
    for (const key of Object.keys(node)) {
      keys += 1;
      if (!isWellFormed(key)) problems.push({ path: [...path, key], message: ILL_FORMED });
      visit(node[key], [...path, key], depth + 1);
    }
  };
  visit(value, [], 1);
  if (keys > limits.maxKeys.max) {
    problems.push({
      path: [],
      message: `Has ${keys} keys; at most ${limits.maxKeys.max} are allowed`,
      limit: limits.maxKeys,
    });
  }
  if (problems.length === 0) {
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
    if (bytes > limits.maxBytes.max) {
      problems.push({
        path: [],
        message: `Is ${bytes} bytes as JSON; at most ${limits.maxBytes.max} are allowed`,
        limit: limits.maxBytes,
      });
    }
  }
  return problems;
}

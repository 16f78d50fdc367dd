import type { Filter, Sort } from 'mongodb';
import type { SessionFilter, SessionOrder } from '../../src/core/model.js';
import type { SessionKey } from '../../src/core/storage.js';
import type { SessionDoc } from './documents.js';
import { escapeKey } from './json-keys.js';

/*
 * Session filters as MongoDB queries. User input only ever becomes values under `$eq`, `$gt`…
 * or an escaped regex, never an operator or a path: metadata keys are escaped (json-keys.ts), so
 * `metadata.<key>` is always one level deep.
 */

/** The query of a SessionFilter, for listings, counts and totals alike. */
export function sessionFilterQuery(filter: SessionFilter): Filter<SessionDoc> {
  const query: Record<string, unknown> = {};
  if (filter.ownerId !== undefined) query.ownerId = { $eq: filter.ownerId };
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    // Equality on a path matches a scalar equal to the value or an array that contains it, which
    // is the contract's containment. `$eq: null` alone would also match a missing key.
    query[`metadata.${escapeKey(key)}`] = value === null ? { $exists: true, $eq: null } : { $eq: value };
  }
  if (filter.titleContains !== undefined) query.title = { $regex: escapeRegex(filter.titleContains), $options: 'i' };
  const created = range(filter.createdAfter, filter.createdBefore);
  if (created) query.createdAt = created;
  const updated = range(filter.updatedAfter, filter.updatedBefore);
  if (updated) query.updatedAt = updated;
  return query as Filter<SessionDoc>;
}

/** The stored field a listing is ordered by. */
export function orderField(order: SessionOrder): 'updatedAt' | 'createdAt' {
  return order.field === 'CREATED_AT' ? 'createdAt' : 'updatedAt';
}

/** The sort of a listing: the ordered field, then _id, in the same direction (an index order). */
export function orderSort(order: SessionOrder): Sort {
  const dir = order.direction === 'ASC' ? 1 : -1;
  return { [orderField(order)]: dir, _id: dir };
}

/**
 * Sessions strictly after `after` in `order`. The bound on the ordered field alone is an index
 * range; the `$or` only sorts out the sessions that share the key's time.
 */
export function keysetQuery(order: SessionOrder, after: SessionKey): Filter<SessionDoc> {
  const field = orderField(order);
  const [strict, loose] = order.direction === 'ASC' ? (['$gt', '$gte'] as const) : (['$lt', '$lte'] as const);
  return {
    [field]: { [loose]: after.at },
    $or: [{ [field]: { [strict]: after.at } }, { _id: { [strict]: after.id } }],
  } as Filter<SessionDoc>;
}

function range(after: Date | undefined, before: Date | undefined): Record<string, Date> | null {
  if (after === undefined && before === undefined) return null;
  return { ...(after !== undefined && { $gt: after }), ...(before !== undefined && { $lt: before }) };
}

/** A regex matching `text` literally. NUL is written as \x00: a pattern may not contain the byte. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
}

import type { Session, SessionFilter } from '../../src/core/model.js';

/** Whether a session matches every criterion of the filter, with the semantics of SessionFilter. */
export function matchesFilter(session: Session, filter: SessionFilter): boolean {
  if (filter.ownerId !== undefined && session.ownerId !== filter.ownerId) return false;
  if (filter.titleContains !== undefined) {
    if (!session.title?.toLowerCase().includes(filter.titleContains.toLowerCase())) return false;
  }
  if (!inRange(session.createdAt, filter.createdAfter, filter.createdBefore)) return false;
  if (!inRange(session.updatedAt, filter.updatedAfter, filter.updatedBefore)) return false;
  if (filter.metadata) {
    for (const [key, wanted] of Object.entries(filter.metadata)) {
      if (!Object.hasOwn(session.metadata, key)) return false;
      const value = session.metadata[key];
      if (value !== wanted && !(Array.isArray(value) && value.includes(wanted))) return false;
    }
  }
  return true;
}

function inRange(at: Date, after: Date | undefined, before: Date | undefined): boolean {
  const t = at.getTime();
  return (after === undefined || t > after.getTime()) && (before === undefined || t < before.getTime());
}

/** Whether nothing but the owner (or nothing at all) narrows the filter. */
export function isOwnerOnly(filter: SessionFilter): boolean {
  return Object.entries(filter).every(([key, value]) => key === 'ownerId' || value === undefined);
}

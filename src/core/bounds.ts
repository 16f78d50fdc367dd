/*
 * What the API can return. Every number and date that enters (an input, an imported document) is
 * checked against these bounds before anything is written: a stored value outside them would make
 * every reader of it fail, an admin's listing of everything included.
 */

/** The largest GraphQL Int (32-bit signed): seqs, versions and counts never exceed it. */
export const MAX_INT = 2 ** 31 - 1;

/**
 * The largest version an imported document may carry. Every change bumps a version by one; what
 * is left below MAX_INT (more than a billion changes) keeps an imported session changeable.
 */
export const MAX_IMPORTED_VERSION = 2 ** 30;

/** The instants a DateTime can carry: four-digit UTC years, 0000-01-01 to 9999-12-31, as toISOString writes them. */
export const EARLIEST_DATE_MS = Date.parse('0000-01-01T00:00:00.000Z');
export const LATEST_DATE_MS = Date.parse('9999-12-31T23:59:59.999Z');

export function isRepresentableDate(date: Date): boolean {
  const ms = date.getTime();
  return ms >= EARLIEST_DATE_MS && ms <= LATEST_DATE_MS;
}

export const DATE_RANGE_MESSAGE = 'A date-time lies between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z (UTC)';

import { ValidationError, type Path } from './errors.js';
import type { Session, SessionOrder } from './model.js';
import type { SessionKey } from './storage.js';

/*
 * Cursors. A history cursor is the message's seq as a decimal string, so a client may also page
 * from a seq it already holds. Session and user cursors are opaque (base64url of JSON) and carry
 * the order they were made for, so a cursor used with another order is rejected, not misread.
 */

export function seqCursor(seq: number): string {
  return String(seq);
}

export function parseSeqCursor(cursor: string, path: Path): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(cursor) || !Number.isSafeInteger(Number(cursor))) {
    throw invalidCursor(path, 'A history cursor is a message seq: a non-negative integer');
  }
  return Number(cursor);
}

export function orderKey(session: Session, order: SessionOrder): SessionKey {
  return { at: order.field === 'CREATED_AT' ? session.createdAt : session.updatedAt, id: session.id };
}

export function sessionCursor(session: Session, order: SessionOrder): string {
  const key = orderKey(session, order);
  return encode(['s', order.field, order.direction, key.at.getTime(), key.id]);
}

export function parseSessionCursor(cursor: string, order: SessionOrder, path: Path): SessionKey {
  const value = decode(cursor);
  if (!Array.isArray(value) || value.length !== 5 || value[0] !== 's') {
    throw invalidCursor(path, 'Not a session cursor');
  }
  const [, field, direction, at, id] = value as unknown[];
  if (field !== order.field || direction !== order.direction) {
    throw invalidCursor(path, 'This cursor belongs to a listing in another order');
  }
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || typeof id !== 'string' || id === '') {
    throw invalidCursor(path, 'Not a session cursor');
  }
  return { at: new Date(at), id };
}

export function userCursor(id: string): string {
  return encode(['u', id]);
}

export function parseUserCursor(cursor: string, path: Path): string {
  const value = decode(cursor);
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== 'u' || typeof value[1] !== 'string') {
    throw invalidCursor(path, 'Not a user cursor');
  }
  return value[1];
}

function encode(value: unknown[]): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

function decode(cursor: string): unknown {
  if (cursor.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function invalidCursor(path: Path, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}

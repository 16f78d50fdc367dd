import { ValidationError } from '../errors.js';
import { isPlainObject } from '../json.js';
import type { Limits } from '../limits.js';
import type { Message, Session } from '../model.js';
import { parseInput } from '../validate.js';
import { chatDocumentSchema, fromChatMessages, toChatMessages } from './chat.js';
import { fromParleyDocument, PARLEY_FORMAT, parleyDocumentSchema, toParleyDocument } from './parley.js';
import { fromSdkDocument, sdkDocumentSchema, toSdkDocument } from './sdk.js';
import type { ExchangeFormat, ImportedSession } from './types.js';

/**
 * Recognises the format of a document: a JSON array is a chat message list, an object with
 * `format: "parley.session"` is Parley's own, any other object with `messages` is an SDK session file.
 */
export function detectFormat(document: unknown): ExchangeFormat {
  if (Array.isArray(document)) return 'CHAT_MESSAGES';
  if (isPlainObject(document)) {
    if (document.format === PARLEY_FORMAT) return 'PARLEY';
    if ('format' in document) {
      throw new ValidationError([{ path: ['format'], message: `Unknown format; expected "${PARLEY_FORMAT}"` }]);
    }
    if ('messages' in document) return 'SDK';
  }
  throw new ValidationError([
    {
      path: [],
      message: `Unrecognised document: expected a Parley document (format "${PARLEY_FORMAT}"), an SDK session file (an object with messages) or a list of chat messages`,
    },
  ]);
}

/** Validates a document of any supported format against the limits; every problem is reported. */
export function parseDocument(document: unknown, limits: Limits, format: ExchangeFormat = detectFormat(document)): ImportedSession {
  switch (format) {
    case 'PARLEY':
      return fromParleyDocument(parseInput(parleyDocumentSchema(limits), document));
    case 'SDK':
      return fromSdkDocument(parseInput(sdkDocumentSchema(limits), document));
    case 'CHAT_MESSAGES':
      return fromChatMessages(parseInput(chatDocumentSchema(limits), document));
  }
}

export function emitDocument(format: ExchangeFormat, session: Session, messages: readonly Message[], now: Date): unknown {
  switch (format) {
    case 'PARLEY':
      return toParleyDocument(session, messages, now);
    case 'SDK':
      return toSdkDocument(session, messages);
    case 'CHAT_MESSAGES':
      return toChatMessages(session, messages);
  }
}

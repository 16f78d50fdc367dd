import type { JsonObject } from '../json.js';
import type { ForkOrigin, Role } from '../model.js';

export type ExchangeFormat = 'PARLEY' | 'SDK' | 'CHAT_MESSAGES';

/** A parsed and validated import document, in Parley's terms, before ids and times are settled. */
export interface ImportedSession {
  format: ExchangeFormat;
  session: {
    id: string | null;
    ownerId: string | null;
    title: string | null;
    model: string | null;
    systemPrompt: string | null;
    context: JsonObject;
    metadata: JsonObject;
    createdAt: Date | null;
    updatedAt: Date | null;
    version: number | null;
    forkedFrom: ForkOrigin | null;
    mergedFrom: string[];
    /** Parley documents only: the user profile the session speaks with. */
    personaId?: string | null;
    /** Parley documents only: the model's summary and the last seq it covers. */
    summary?: string | null;
    summarizedUpToSeq?: number | null;
  };
  messages: ImportedMessage[];
}

export interface ImportedMessage {
  id: string | null;
  seq: number | null;
  role: Role;
  content: string;
  name: string | null;
  metadata: JsonObject;
  createdAt: Date | null;
  clientId: string | null;
}

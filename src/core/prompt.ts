import { toChatMessage, type ChatMessage } from './exchange/chat.js';
import type { Message, Session, User } from './model.js';

/** How much of a session's history a run sends to the model. */
export interface PromptWindow {
  /** At most this many history messages (the newest ones). */
  maxMessages: number;
  /** At most about this many tokens in the whole prompt, system message included (see estimateTokens). */
  maxTokens: number;
}

export interface Prompt {
  messages: ChatMessage[];
  /** Seq of the oldest history message sent; null when none is. */
  fromSeq: number | null;
  /** Whether older history was left out to fit the window. */
  truncated: boolean;
  estimatedTokens: number;
}

/**
 * A rough token count that needs no tokenizer: about four characters a token for English text,
 * plus a few tokens of per-message framing. Used only to keep prompts within a budget.
 */
export function estimateTokens(message: ChatMessage): number {
  const text = (message.content ?? '') + (message.name ?? '') + (message.tool_calls === undefined ? '' : JSON.stringify(message.tool_calls));
  return Math.ceil(text.length / 4) + 4;
}

/**
 * The prompt of a run: one system message (the session's system prompt, then who the user is when
 * the session has a persona), then the newest history that fits the window, oldest first.
 * The newest message is always sent, even past the token budget, so a run never asks with nothing;
 * a window never starts with a tool result whose call was left out.
 */
export function buildPrompt(
  session: Pick<Session, 'systemPrompt'>,
  history: readonly Message[],
  persona: Pick<User, 'name' | 'profile'> | null,
  window: PromptWindow,
): Prompt {
  const system = systemMessage(session.systemPrompt, persona);
  let tokens = system ? estimateTokens(system) : 0;
  const kept: ChatMessage[] = [];
  let fromSeq: number | null = null;
  const newestFirst = history.slice(-window.maxMessages).reverse();
  for (const message of newestFirst) {
    const chat = toChatMessage(message);
    const cost = estimateTokens(chat);
    if (kept.length > 0 && tokens + cost > window.maxTokens) break;
    kept.push(chat);
    tokens += cost;
    fromSeq = message.seq;
  }
  while (kept.length > 1 && kept[kept.length - 1]?.role === 'tool') {
    const dropped = kept.pop() as ChatMessage;
    tokens -= estimateTokens(dropped);
    fromSeq = newestFirst[kept.length - 1]?.seq ?? null;
  }
  kept.reverse();
  return {
    messages: system ? [system, ...kept] : kept,
    fromSeq,
    truncated: kept.length < history.length,
    estimatedTokens: tokens,
  };
}

function systemMessage(systemPrompt: string | null, persona: Pick<User, 'name' | 'profile'> | null): ChatMessage | null {
  const parts: string[] = [];
  if (systemPrompt) parts.push(systemPrompt);
  if (persona) parts.push(persona.profile ? `You are talking with ${persona.name}. About them:\n${persona.profile}` : `You are talking with ${persona.name}.`);
  return parts.length === 0 ? null : { role: 'system', content: parts.join('\n\n') };
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { CompletionChunk, CompletionRequest, ModelProvider } from '../../src/core/provider.js';

export interface EchoOptions {
  /** Pause before each word, so that a UI shows a reply streaming. Default 30 ms. */
  delayMs?: number;
}

/**
 * Not a model: replies "Echo: " and the last user message, word by word. For trying Parley's runs
 * without a model (MODEL_PROVIDER=echo); never the default.
 */
export function createEchoProvider({ delayMs = 30 }: EchoOptions = {}): ModelProvider {
  return {
    name: 'echo',
    async *stream(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
      const words = splitWords(replyTo(request));
      const max = request.maxOutputTokens ?? Number.POSITIVE_INFINITY;
      let sent = 0;
      for (const word of words) {
        if (sent >= max) break;
        await sleep(delayMs, undefined, { signal: request.signal }).catch(() => {
          throw request.signal.reason;
        });
        yield { type: 'delta', text: word };
        sent += 1;
      }
      const promptTokens = request.messages.reduce((n, m) => n + splitWords(m.content ?? '').length, 0);
      yield {
        type: 'end',
        finishReason: sent < words.length ? 'LENGTH' : 'STOP',
        usage: { promptTokens, completionTokens: sent },
        model: request.model ?? 'echo',
      };
    },
  };
}

function replyTo(request: CompletionRequest): string {
  const last = request.messages.findLast((m) => m.role === 'user');
  return last?.content ? `Echo: ${last.content}` : 'Echo: (no user message to echo)';
}

/** Words with the whitespace that follows each, so that joining the deltas gives the text back. */
function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

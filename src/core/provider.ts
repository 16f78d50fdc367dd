import { ParleyError } from './errors.js';
import type { ChatMessage } from './exchange/chat.js';

/**
 * What a model provider is to Parley: it streams one chat completion. Providers are to models what
 * adapters are to storage; they know this file and nothing else of Parley.
 */
export interface ModelProvider {
  /** Shown in logs and in a run's metadata: `echo`, `openai-compatible`. */
  readonly name: string;
  /**
   * Streams the reply to `request.messages`: zero or more `delta` chunks, then exactly one `end`.
   * Failures reject the iteration with a `ModelError`; when `request.signal` aborts, the provider
   * stops its upstream request and the iteration rejects with the signal's reason, promptly.
   * Retries of transient failures (429, 5xx, a refused connection) happen inside, before the first
   * chunk only: once text has been yielded, a failure is final.
   */
  stream(request: CompletionRequest): AsyncIterable<CompletionChunk>;
}

export interface CompletionRequest {
  /** The model to ask; the provider's default when null. */
  model: string | null;
  /** The prompt: system prompt first, then the history, as `Session.modelMessages` gives it. */
  messages: readonly ChatMessage[];
  /** Upper bound on generated tokens, when the caller sets one. */
  maxOutputTokens?: number | undefined;
  temperature?: number | undefined;
  signal: AbortSignal;
}

export type FinishReason = 'STOP' | 'LENGTH' | 'CONTENT_FILTER' | 'TOOL_CALLS' | 'OTHER';

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type CompletionChunk =
  | { type: 'delta'; text: string }
  | {
      type: 'end';
      finishReason: FinishReason;
      /** Null when the provider does not report token counts. */
      usage: Usage | null;
      /** The model that answered, as the provider names it. */
      model: string;
    };

export const MODEL_ERROR_CODES = ['UNAVAILABLE', 'RATE_LIMITED', 'TIMEOUT', 'BAD_RESPONSE', 'NOT_CONFIGURED'] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

/**
 * A model call that did not give a reply: typed so that a run records why, and never reported as an
 * internal error. `retryable` says whether the same request may succeed later.
 */
export class ModelError extends ParleyError {
  readonly code = 'MODEL_ERROR';
  /** The upstream HTTP status, when there was one. */
  readonly status: number | null;

  constructor(
    readonly reason: ModelErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number | null },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModelError';
    this.status = options?.status ?? null;
  }

  get retryable(): boolean {
    return this.reason === 'UNAVAILABLE' || this.reason === 'RATE_LIMITED' || this.reason === 'TIMEOUT';
  }
}

/** The provider used when none is configured: every call fails with NOT_CONFIGURED, nothing else breaks. */
export const unconfiguredProvider: ModelProvider = {
  name: 'none',
  async *stream() {
    throw new ModelError('NOT_CONFIGURED', 'No model provider is configured: set MODEL_PROVIDER (see the README)');
  },
};

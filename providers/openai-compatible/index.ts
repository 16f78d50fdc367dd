import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ChatMessage } from '../../src/core/exchange/chat.js';
import {
  ModelError,
  type CompletionChunk,
  type CompletionRequest,
  type FinishReason,
  type ModelProvider,
  type Usage,
} from '../../src/core/provider.js';

export interface OpenAICompatibleOptions {
  /** The endpoint's base URL, up to and including `/v1`: `http://127.0.0.1:11434/v1` for Ollama. */
  baseURL: string;
  /** Sent as a bearer token; local servers usually need none. */
  apiKey?: string | null;
  /** Asked for when a session names no model. */
  defaultModel?: string | null;
  /** Session model names mapped to the endpoint's names (`{"fast": "gpt-4o-mini"}`). */
  models?: Readonly<Record<string, string>>;
  /** Time to the response's headers, per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Longest silence between two chunks of a streaming reply before it is given up. Default 30 s. */
  idleTimeoutMs?: number;
  /** Retries of 429, 5xx and refused connections, before the first chunk only. Default 2. */
  maxRetries?: number;
}

/** Any Chat Completions endpoint that streams (OpenAI, Ollama, vLLM, llama.cpp, LM Studio…), through the `openai` SDK. */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): ModelProvider {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey ?? 'unused',
    timeout: options.timeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
  });
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;

  return {
    name: 'openai-compatible',
    async *stream(request: CompletionRequest): AsyncGenerator<CompletionChunk> {
      const asked = request.model ?? options.defaultModel ?? null;
      if (asked === null) throw new ModelError('NOT_CONFIGURED', 'The session names no model and no default model is configured');
      const model = options.models?.[asked] ?? asked;
      const idle = new AbortController();
      const signal = AbortSignal.any([request.signal, idle.signal]);
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => idle.abort(), idleTimeoutMs);
      };
      const fail = (error: unknown): never => {
        if (request.signal.aborted) throw request.signal.reason;
        if (idle.signal.aborted) throw new ModelError('TIMEOUT', `The model sent nothing for ${idleTimeoutMs} ms`, { cause: error });
        throw toModelError(error);
      };

      let finishReason: FinishReason | null = null;
      let usage: Usage | null = null;
      let answered = model;
      try {
        const stream = await client.chat.completions
          .create(
            {
              model,
              messages: request.messages.map(toParam),
              stream: true,
              stream_options: { include_usage: true },
              ...(request.maxOutputTokens === undefined ? {} : { max_tokens: request.maxOutputTokens }),
              ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
            },
            { signal },
          )
          .catch(fail);
        arm();
        for await (const chunk of stream) {
          arm();
          answered = chunk.model || answered;
          if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens };
          const choice = chunk.choices[0];
          if (!choice) continue;
          const text = choice.delta.content;
          if (text) yield { type: 'delta', text };
          if (choice.finish_reason) finishReason = toFinishReason(choice.finish_reason);
        }
      } catch (error) {
        if (error instanceof ModelError) throw error;
        fail(error);
      } finally {
        clearTimeout(timer);
      }
      // The SDK ends the iteration quietly when its signal aborts: say why it ended.
      if (request.signal.aborted || idle.signal.aborted) fail(null);
      if (finishReason === null) throw new ModelError('BAD_RESPONSE', 'The stream ended before the model said it had finished');
      yield { type: 'end', finishReason, usage, model: answered };
    },
  };
}

function toParam(m: ChatMessage): ChatCompletionMessageParam {
  const content = m.content ?? '';
  switch (m.role) {
    case 'system':
      return { role: 'system', content };
    case 'user':
      return { role: 'user', content, ...(m.name ? { name: m.name } : {}) };
    case 'assistant':
      return { role: 'assistant', content };
    case 'tool':
      return { role: 'tool', content, tool_call_id: m.tool_call_id ?? m.name ?? 'tool' };
  }
}

function toFinishReason(reason: string): FinishReason {
  if (reason === 'stop') return 'STOP';
  if (reason === 'length') return 'LENGTH';
  if (reason === 'content_filter') return 'CONTENT_FILTER';
  if (reason === 'tool_calls' || reason === 'function_call') return 'TOOL_CALLS';
  return 'OTHER';
}

function toModelError(error: unknown): ModelError {
  if (error instanceof APIConnectionTimeoutError) return new ModelError('TIMEOUT', 'The model endpoint did not answer in time', { cause: error });
  if (error instanceof APIUserAbortError) return new ModelError('TIMEOUT', 'The model request was aborted', { cause: error });
  if (error instanceof APIConnectionError) return new ModelError('UNAVAILABLE', `The model endpoint cannot be reached: ${error.message}`, { cause: error });
  if (error instanceof APIError && error.status !== undefined) {
    const status = error.status;
    const detail = `The model endpoint answered ${status}`;
    if (status === 429) return new ModelError('RATE_LIMITED', `${detail}: rate limited`, { cause: error, status });
    if (status === 401 || status === 403) return new ModelError('NOT_CONFIGURED', `${detail}: check the API key`, { cause: error, status });
    if (status >= 500) return new ModelError('UNAVAILABLE', detail, { cause: error, status });
    return new ModelError('BAD_RESPONSE', `${detail}: ${error.message}`, { cause: error, status });
  }
  return new ModelError('BAD_RESPONSE', `The model's reply could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

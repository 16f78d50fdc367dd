import { describe, expect, it } from 'vitest';
import type { Message, Role } from '../../src/core/model.js';
import { buildPrompt, estimateTokens } from '../../src/core/prompt.js';

let seq = 0;
function message(role: Role, content: string, metadata: Message['metadata'] = {}): Message {
  seq += 1;
  return { id: `m${seq}`, sessionId: 's', seq, role, content, name: null, metadata, createdAt: new Date(0), clientId: null };
}

const wide = { maxMessages: 1_000, maxTokens: 1_000_000 };

describe('the prompt of a run', () => {
  it('puts the system prompt first, then the whole history in order when it fits', () => {
    const history = [message('USER', 'hi'), message('ASSISTANT', 'hello'), message('USER', 'plan Lisbon')];
    const prompt = buildPrompt({ systemPrompt: 'Be brief.' }, history, null, wide);
    expect(prompt.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello' },
      { role: 'user', content: 'plan Lisbon' },
    ]);
    expect(prompt).toMatchObject({ fromSeq: history[0]?.seq, truncated: false });
  });

  it('tells the model who the user is when the session has a persona, with or without a system prompt', () => {
    const history = [message('USER', 'hi')];
    const persona = { name: 'Ana', profile: 'A nurse from Porto who travels light.' };
    expect(buildPrompt({ systemPrompt: 'Be brief.' }, history, persona, wide).messages[0]).toEqual({
      role: 'system',
      content: 'Be brief.\n\nYou are talking with Ana. About them:\nA nurse from Porto who travels light.',
    });
    expect(buildPrompt({ systemPrompt: null }, history, { name: 'Ana', profile: null }, wide).messages[0]).toEqual({
      role: 'system',
      content: 'You are talking with Ana.',
    });
    expect(buildPrompt({ systemPrompt: null }, history, null, wide).messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('keeps only the newest maxMessages of a long session', () => {
    const history = Array.from({ length: 10_000 }, (_, i) => message(i % 2 === 0 ? 'USER' : 'ASSISTANT', `turn ${i}`));
    const prompt = buildPrompt({ systemPrompt: 'S' }, history, null, { maxMessages: 20, maxTokens: 1_000_000 });
    expect(prompt.messages).toHaveLength(21);
    expect(prompt.messages.at(-1)).toEqual({ role: 'assistant', content: 'turn 9999' });
    expect(prompt).toMatchObject({ fromSeq: history[9_980]?.seq, truncated: true });
  });

  it('stops at the token budget, counting the system message, and keeps the newest message whatever its size', () => {
    const long = 'x'.repeat(400); // about 104 tokens each
    const history = [message('USER', long), message('ASSISTANT', long), message('USER', long)];
    const system = { role: 'system' as const, content: 'S' };
    const budget = estimateTokens(system) + 2 * estimateTokens({ role: 'user', content: long });
    const prompt = buildPrompt({ systemPrompt: 'S' }, history, null, { maxMessages: 100, maxTokens: budget });
    expect(prompt.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user']);
    expect(prompt.estimatedTokens).toBeLessThanOrEqual(budget);
    const tiny = buildPrompt({ systemPrompt: 'S' }, history, null, { maxMessages: 100, maxTokens: 1 });
    expect(tiny.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(tiny).toMatchObject({ fromSeq: history[2]?.seq, truncated: true });
  });

  it('never starts the history with a tool result whose call was cut off', () => {
    const history = [
      message('USER', 'weather?'),
      message('ASSISTANT', '', { tool_calls: [{ id: 'c1', type: 'function' }] }),
      message('TOOL', '18 degrees', { tool_call_id: 'c1' }),
      message('ASSISTANT', 'It is 18 degrees.'),
      message('USER', 'thanks'),
    ];
    const prompt = buildPrompt({ systemPrompt: null }, history, null, { maxMessages: 3, maxTokens: 1_000_000 });
    expect(prompt.messages).toEqual([
      { role: 'assistant', content: 'It is 18 degrees.' },
      { role: 'user', content: 'thanks' },
    ]);
    expect(prompt.fromSeq).toBe(history[3]?.seq);
  });
});

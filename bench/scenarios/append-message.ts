import type { SessionService } from '../../src/core/service/index.js';
import { contentOf } from '../fixtures.js';
import type { Profile } from '../profile.js';
import type { HttpScenario, Variables } from '../scenario.js';

const sessionId = (i: number) => `append-${i}`;

/** S1: one ~200-character message per request, round-robin over `appendSessions` sessions. */
export const appendMessage: HttpScenario = {
  kind: 'http',
  id: 'S1',
  title: 'appendMessage, one 200-char message',
  exact: false,
  // What R's like-for-like service costs over a bare one, and what metrics cost Parley.
  extraSystems: ['r-bare', 'parley-metrics', 'parley-yoga'],
  query: `mutation Append($sessionId: ID!, $message: MessageInput!) {
  appendMessage(sessionId: $sessionId, message: $message) {
    __typename
    ... on AppendMessagePayload { added message { id seq role createdAt } session { lastSeq messageCount updatedAt } }
    ... on Error { reason: message }
  }
}`,

  async seed(service: SessionService, profile: Profile) {
    for (let i = 0; i < profile.appendSessions; i++) {
      await service.createSession({ id: sessionId(i), title: `Append target ${i}`, systemPrompt: 'You are terse.' });
    }
  },

  cases: (profile) => [
    {
      label: 'append',
      variables: Array.from({ length: profile.appendSessions }, (_, i) => ({
        sessionId: sessionId(i),
        message: { role: 'USER', content: contentOf(i) },
      })),
    },
  ],

  async baseline(service, variables: Variables) {
    const { sessionId: id, message } = variables as { sessionId: string; message: { role: 'USER'; content: string } };
    const { added, message: m, session } = await service.appendMessage(id, message);
    return {
      appendMessage: {
        __typename: 'AppendMessagePayload',
        added,
        message: { id: m.id, seq: m.seq, role: m.role, createdAt: m.createdAt.toISOString() },
        session: { lastSeq: session.lastSeq, messageCount: session.messageCount, updatedAt: session.updatedAt.toISOString() },
      },
    };
  },
};

import type { Message } from '../../src/core/model.js';
import type { SessionService } from '../../src/core/service/index.js';
import { fillHistory } from '../fixtures.js';
import type { HttpScenario, Variables } from '../scenario.js';

export const SHORT_HISTORY = 100;
const PAGE = 50;

/** S2: the latest page of 50 messages, on a session of 100 messages and on a long one. */
export const history: HttpScenario = {
  kind: 'http',
  id: 'S2',
  title: 'history(last: 50)',
  exact: true,
  extraSystems: ['parley-yoga'],
  query: `query History($sessionId: ID!, $last: Int) {
  history(sessionId: $sessionId, last: $last) {
    __typename
    ... on MessageConnection {
      totalCount
      pageInfo { hasPreviousPage startCursor }
      edges { cursor node { id seq role content createdAt } }
    }
    ... on Error { message }
  }
}`,

  async seed(service: SessionService, profile) {
    for (const [id, count] of [['history-short', SHORT_HISTORY], ['history-long', profile.longHistory]] as const) {
      await service.createSession({ id, title: `${count} messages` });
      await fillHistory(service, id, count);
    }
  },

  cases: (profile) => [
    { label: `${SHORT_HISTORY} messages`, variables: [{ sessionId: 'history-short', last: PAGE }] },
    { label: `${profile.longHistory.toLocaleString('en-US')} messages`, variables: [{ sessionId: 'history-long', last: PAGE }] },
  ],

  async baseline(service, variables: Variables) {
    const { sessionId, last } = variables as { sessionId: string; last: number };
    const page = await service.history(sessionId, { last });
    return {
      history: {
        __typename: 'MessageConnection',
        totalCount: page.totalCount,
        pageInfo: { hasPreviousPage: page.pageInfo.hasPreviousPage, startCursor: page.pageInfo.startCursor },
        edges: page.edges.map(({ cursor, node }) => ({ cursor, node: messageNode(node) })),
      },
    };
  },
};

const messageNode = (m: Message) => ({ id: m.id, seq: m.seq, role: m.role, content: m.content, createdAt: m.createdAt.toISOString() });

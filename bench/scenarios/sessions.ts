import type { Session, User } from '../../src/core/model.js';
import type { SessionService } from '../../src/core/service/index.js';
import { contentOf } from '../fixtures.js';
import type { HttpScenario, Variables } from '../scenario.js';

const OWNERS = 100;
const PAGE = 50;
const ownerId = (i: number) => `owner-${i % OWNERS}`;

/** S3: the first page of 50 sessions with each one's owner and stats, over `listedSessions` sessions. */
export const sessions: HttpScenario = {
  kind: 'http',
  id: 'S3',
  title: 'sessions(first: 50) with owner and stats',
  exact: true,
  query: `query Sessions($first: Int) {
  sessions(first: $first) {
    __typename
    ... on SessionConnection {
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id title updatedAt
          owner { id name }
          stats { messageCount exchangeCount firstMessageAt lastMessageAt durationMs preview }
        }
      }
    }
    ... on Error { message }
  }
}`,

  async seed(service: SessionService, profile) {
    for (let i = 0; i < OWNERS; i++) await service.upsertUser({ id: ownerId(i), name: `User ${i}` });
    for (let i = 0; i < profile.listedSessions; i++) {
      const messages = [0, 1, 2, 3].map((k) => ({ role: k % 2 === 0 ? ('USER' as const) : ('ASSISTANT' as const), content: contentOf(i * 4 + k) }));
      await service.createSession({ id: `listed-${i}`, ownerId: ownerId(i), title: `Conversation ${i}`, messages });
    }
  },

  cases: () => [{ label: 'first page', variables: [{ first: PAGE }] }],

  async baseline(service, variables: Variables) {
    const page = await service.listSessions({ first: (variables as { first: number }).first });
    // One batched read of the owners, as the User loader does.
    const ownerIds = [...new Set(page.edges.flatMap(({ node }) => (node.ownerId === null ? [] : [node.ownerId])))];
    const users = new Map((await service.findUsers(ownerIds)).flatMap((u): [string, User][] => (u ? [[u.id, u]] : [])));
    return {
      sessions: {
        __typename: 'SessionConnection',
        pageInfo: { hasNextPage: page.pageInfo.hasNextPage, endCursor: page.pageInfo.endCursor },
        edges: page.edges.map(({ cursor, node }) => ({ cursor, node: sessionNode(service, node, users) })),
      },
    };
  },
};

function sessionNode(service: SessionService, s: Session, users: Map<string, User>) {
  const owner = s.ownerId === null ? undefined : users.get(s.ownerId);
  const stats = service.sessionStats(s);
  return {
    id: s.id,
    title: s.title,
    updatedAt: s.updatedAt.toISOString(),
    owner: owner ? { id: owner.id, name: owner.name } : null,
    stats: {
      messageCount: stats.messageCount,
      exchangeCount: stats.exchangeCount,
      firstMessageAt: stats.firstMessageAt?.toISOString() ?? null,
      lastMessageAt: stats.lastMessageAt?.toISOString() ?? null,
      durationMs: stats.durationMs,
      preview: stats.preview,
    },
  };
}

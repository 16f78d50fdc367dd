import { graphql } from '../gql/index.js';

/*
 * Every operation the API tests send, written as a client would. GraphQL Code Generator types them
 * (test/gql/), so a test that selects a field the schema lacks fails to compile.
 */

export const CreateSession = graphql(`
  mutation CreateSession($input: CreateSessionInput!) {
    createSession(input: $input) {
      __typename
      ... on Session { id ownerId title model systemPrompt context metadata messageCount lastSeq version createdAt updatedAt preview expiresAt }
      ... on ValidationError { message problems { path message limit } }
      ... on LimitExceededError { message limit violations { limit max actual path message } }
      ... on ConflictError { message reason }
    }
  }
`);

export const GetSession = graphql(`
  query GetSession($id: ID!) {
    session(id: $id) {
      id ownerId title metadata context messageCount lastSeq version preview mergedFrom createdAt updatedAt lastMessageAt
      owner { id name }
      forkedFrom { sessionId seq session { id title } }
      stats {
        messageCount exchangeCount durationMs preview firstMessageAt lastMessageAt
        messagesByRole { system user assistant tool }
      }
    }
  }
`);

export const ListSessions = graphql(`
  query ListSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {
    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      __typename
      ... on SessionConnection {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id title preview ownerId metadata } }
      }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit violations { max actual path } }
    }
  }
`);

export const SessionsWithOwners = graphql(`
  query SessionsWithOwners($first: Int) {
    sessions(first: $first) {
      __typename
      ... on SessionConnection {
        edges { node { id ownerId owner { id name } stats { messageCount exchangeCount } forkedFrom { session { id } } } }
      }
    }
  }
`);

export const UsersWithSessionCounts = graphql(`
  query UsersWithSessionCounts($first: Int, $sessions: Int) {
    users(first: $first) {
      __typename
      ... on UserConnection {
        edges { node { id sessions(first: $sessions) { totalCount pageInfo { hasNextPage } edges { node { id } } } } }
      }
    }
  }
`);

export const UpdateSession = graphql(`
  mutation UpdateSession($id: ID!, $input: UpdateSessionInput!) {
    updateSession(id: $id, input: $input) {
      __typename
      ... on Session { id title model metadata context version }
      ... on ConflictError { reason expected actual }
      ... on NotFoundError { entity entityId message }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit }
    }
  }
`);

export const DeleteSession = graphql(`
  mutation DeleteSession($id: ID!) {
    deleteSession(id: $id) {
      __typename
      ... on DeletedSession { id messageCount }
      ... on NotFoundError { entity entityId }
    }
  }
`);

export const AppendMessages = graphql(`
  mutation AppendMessages($sessionId: ID!, $messages: [MessageInput!]!, $expectedSeq: Int) {
    appendMessages(sessionId: $sessionId, messages: $messages, expectedSeq: $expectedSeq) {
      __typename
      ... on AppendMessagesPayload {
        addedCount
        session { id lastSeq messageCount }
        messages { id seq role content name metadata clientId createdAt sessionId }
      }
      ... on ConflictError { reason expected actual message }
      ... on NotFoundError { entity entityId }
      ... on ValidationError { problems { path message limit } }
      ... on LimitExceededError { limit violations { limit max actual path } }
    }
  }
`);

export const AppendMessage = graphql(`
  mutation AppendMessage($sessionId: ID!, $message: MessageInput!, $expectedSeq: Int) {
    appendMessage(sessionId: $sessionId, message: $message, expectedSeq: $expectedSeq) {
      __typename
      ... on AppendMessagePayload { added message { id seq content clientId } session { lastSeq } }
      ... on ConflictError { reason }
      ... on NotFoundError { entityId }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit violations { path } }
    }
  }
`);

export const History = graphql(`
  query History($sessionId: ID!, $first: Int, $after: String, $last: Int, $before: String, $roles: [Role!]) {
    history(sessionId: $sessionId, first: $first, after: $after, last: $last, before: $before, roles: $roles) {
      __typename
      ... on MessageConnection {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { seq role content } }
      }
      ... on NotFoundError { entity entityId }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit }
    }
  }
`);

export const SessionMessages = graphql(`
  query SessionMessages($id: ID!, $last: Int, $before: String, $lastN: Int) {
    session(id: $id) {
      messages(last: $last, before: $before) {
        totalCount
        pageInfo { hasPreviousPage startCursor }
        edges { node { seq content } }
      }
      modelMessages(lastN: $lastN) { role content name toolCallId toolCalls }
    }
  }
`);

export const CopySession = graphql(`
  mutation CopySession($id: ID!, $upToSeq: Int, $title: String, $newId: ID) {
    copySession(id: $id, upToSeq: $upToSeq, title: $title, newId: $newId) {
      __typename
      ... on Session { id title messageCount forkedFrom { sessionId seq session { id } } }
      ... on NotFoundError { entityId }
      ... on ConflictError { reason }
      ... on ValidationError { problems { path message } }
    }
  }
`);

export const MergeSessions = graphql(`
  mutation MergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String) {
    mergeSessions(ids: $ids, order: $order, title: $title) {
      __typename
      ... on Session {
        id title mergedFrom metadata messageCount
        messages(first: 100) { edges { node { seq content } } }
      }
      ... on NotFoundError { entityId }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit }
    }
  }
`);

export const ExportSession = graphql(`
  query ExportSession($id: ID!, $format: ExchangeFormat) {
    exportSession(id: $id, format: $format) {
      __typename
      ... on ExportedSession { format document }
      ... on NotFoundError { entity entityId }
    }
  }
`);

export const ImportSession = graphql(`
  mutation ImportSession($document: JSON!, $format: ExchangeFormat, $newId: ID, $ownerId: ID) {
    importSession(document: $document, format: $format, newId: $newId, ownerId: $ownerId) {
      __typename
      ... on Session { id title ownerId messageCount metadata context createdAt }
      ... on ConflictError { reason message }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit violations { path } }
    }
  }
`);

export const UpsertUser = graphql(`
  mutation UpsertUser($input: UpsertUserInput!) {
    upsertUser(input: $input) {
      __typename
      ... on UpsertUserPayload { created user { id name profile metadata createdAt updatedAt } }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit }
    }
  }
`);

export const GetUser = graphql(`
  query GetUser($id: ID!) {
    user(id: $id) {
      id name profile
      sessions(first: 10) { totalCount edges { node { id } } }
    }
  }
`);

export const ListUsers = graphql(`
  query ListUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      __typename
      ... on UserConnection { totalCount pageInfo { hasNextPage endCursor } edges { node { id name } } }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { limit }
    }
  }
`);

export const DeleteUser = graphql(`
  mutation DeleteUser($id: ID!) {
    deleteUser(id: $id) {
      __typename
      ... on DeleteUserPayload { id deletedSessionCount }
      ... on NotFoundError { entity entityId }
    }
  }
`);

export const Stats = graphql(`
  query Stats($filter: SessionFilter) {
    stats(filter: $filter) {
      __typename
      ... on Stats { sessionCount messageCount userCount exchangeCount messagesByRole { system user assistant tool } }
      ... on ValidationError { problems { path message } }
    }
  }
`);

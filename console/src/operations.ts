import { graphql } from '../gql/gql.js';

/** The fields a row of the session list shows. */
export const SessionRowFields = graphql(`
  fragment SessionRow on Session {
    id
    title
    preview
    messageCount
    createdAt
    updatedAt
    model
    ownerId
    metadata
  }
`);

export const SessionsQuery = graphql(`
  query ConsoleSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {
    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      ... on SessionConnection {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...SessionRow } }
      }
      ... on Error { message }
    }
  }
`);

/** With resyncFirst, a RESYNC comes first, once the server delivers: a list read on it misses no change. */
export const SessionEventsSubscription = graphql(`
  subscription ConsoleSessionEvents($resyncFirst: Boolean) {
    sessionEvents(resyncFirst: $resyncFirst) {
      type
      sessionId
      session { ...SessionRow }
    }
  }
`);

export const MessageFields = graphql(`
  fragment ConsoleMessage on Message {
    id
    seq
    role
    name
    content
    createdAt
    metadata
  }
`);

export const ConversationQuery = graphql(`
  query ConsoleConversation($id: ID!, $last: Int!, $before: String) {
    session(id: $id) {
      id
      title
      model
      systemPrompt
      lastSeq
      messageCount
      ...ConsoleSettings
      activeRun { id status }
    }
    history(sessionId: $id, last: $last, before: $before) {
      ... on MessageConnection {
        pageInfo { hasPreviousPage startCursor }
        edges { node { ...ConsoleMessage } }
      }
      ... on Error { message }
    }
  }
`);

export const ActiveRunQuery = graphql(`
  query ConsoleActiveRun($id: ID!) {
    session(id: $id) { id activeRun { id } }
  }
`);

export const MessageAddedSubscription = graphql(`
  subscription ConsoleMessageAdded($sessionId: ID!, $afterSeq: Int) {
    messageAdded(sessionId: $sessionId, afterSeq: $afterSeq) { ...ConsoleMessage }
  }
`);

export const SendMessageMutation = graphql(`
  mutation ConsoleSendMessage($sessionId: ID!, $content: String!, $clientId: String) {
    sendMessage(sessionId: $sessionId, message: { content: $content, clientId: $clientId }) {
      ... on SendMessagePayload { userMessage { ...ConsoleMessage } run { id status } }
      ... on Error { message }
    }
  }
`);

export const RunEventsSubscription = graphql(`
  subscription ConsoleRunEvents($runId: ID!, $afterOffset: Int) {
    runEvents(runId: $runId, afterOffset: $afterOffset) {
      runId
      offset
      type
      text
      run { id status error { code message } }
      message { ...ConsoleMessage }
    }
  }
`);

export const CancelRunMutation = graphql(`
  mutation ConsoleCancelRun($id: ID!) {
    cancelRun(id: $id) {
      ... on Run { id status }
      ... on Error { message }
    }
  }
`);

export const DeleteSessionMutation = graphql(`
  mutation ConsoleDeleteSession($id: ID!) {
    deleteSession(id: $id) {
      __typename
      ... on Error { message }
    }
  }
`);

export const CopySessionMutation = graphql(`
  mutation ConsoleCopySession($id: ID!, $upToSeq: Int, $title: String) {
    copySession(id: $id, upToSeq: $upToSeq, title: $title) {
      __typename
      ... on Session { id }
      ... on Error { message }
    }
  }
`);

export const StartRunMutation = graphql(`
  mutation ConsoleStartRun($sessionId: ID!, $clientId: String) {
    startRun(sessionId: $sessionId, clientId: $clientId) {
      __typename
      ... on Run { id status }
      ... on Error { message }
    }
  }
`);

/** What the settings form edits (everything updateSession takes), and the version it was read at. */
export const SettingsFields = graphql(`
  fragment ConsoleSettings on Session {
    id
    version
    title
    model
    systemPrompt
    personaId
    persona { id name }
    metadata
    context
  }
`);

export const UpdateSessionMutation = graphql(`
  mutation ConsoleUpdateSession($id: ID!, $input: UpdateSessionInput!) {
    updateSession(id: $id, input: $input) {
      __typename
      ... on Session { ...ConsoleSettings }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
      ... on Error { message }
    }
  }
`);

export const ExportSessionQuery = graphql(`
  query ConsoleExportSession($id: ID!, $format: ExchangeFormat!) {
    exportSession(id: $id, format: $format) {
      __typename
      ... on ExportedSession { document }
      ... on Error { message }
    }
  }
`);

export const ImportSessionMutation = graphql(`
  mutation ConsoleImportSession($document: JSON!) {
    importSession(document: $document) {
      __typename
      ... on Session { id title }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
      ... on Error { message }
    }
  }
`);

export const MergeSessionsMutation = graphql(`
  mutation ConsoleMergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String, $ownerId: ID, $newId: ID) {
    mergeSessions(ids: $ids, order: $order, title: $title, ownerId: $ownerId, newId: $newId) {
      __typename
      ... on Session { id }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
      ... on NotFoundError { message entityId }
      ... on ConflictError { message reason }
      ... on Error { message }
    }
  }
`);

/** What the users view shows of a user profile (the vector only so that an edit keeps it). */
export const UserFields = graphql(`
  fragment ConsoleUser on User {
    id
    name
    profile
    metadata
    vector
    updatedAt
    sessions(first: 0) { totalCount }
  }
`);

export const UsersQuery = graphql(`
  query ConsoleUsers($first: Int, $after: String) {
    users(first: $first, after: $after) {
      __typename
      ... on UserConnection {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...ConsoleUser } }
      }
      ... on ValidationError { message problems { path message } }
      ... on Error { message }
    }
  }
`);

export const UserExistsQuery = graphql(`
  query ConsoleUserExists($id: ID!) {
    user(id: $id) { id }
  }
`);

export const UpsertUserMutation = graphql(`
  mutation ConsoleUpsertUser($input: UpsertUserInput!) {
    upsertUser(input: $input) {
      __typename
      ... on UpsertUserPayload { created user { ...ConsoleUser } }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
      ... on Error { message }
    }
  }
`);

export const DeleteUserMutation = graphql(`
  mutation ConsoleDeleteUser($id: ID!) {
    deleteUser(id: $id) {
      __typename
      ... on DeleteUserPayload { id deletedSessionCount }
      ... on Error { message }
    }
  }
`);

/** The users a persona can be picked from, a page at a time. */
export const PersonasQuery = graphql(`
  query ConsolePersonas($after: String) {
    users(first: 100, after: $after) {
      __typename
      ... on UserConnection {
        pageInfo { hasNextPage endCursor }
        edges { node { id name } }
      }
      ... on Error { message }
    }
  }
`);

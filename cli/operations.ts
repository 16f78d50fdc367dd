import { graphql } from './gql/index.js';

/*
 * Every operation the `parley` command sends. GraphQL Code Generator types them (cli/gql/), so
 * selecting a field the schema lacks fails to compile. `... on Error` and the problem fields are
 * what the command prints when an operation fails.
 */

export const ListSessions = graphql(`
  query CliSessions($filter: SessionFilter, $first: Int, $after: String) {
    sessions(filter: $filter, first: $first, after: $after) {
      __typename
      ... on SessionConnection {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id ownerId title model metadata messageCount createdAt updatedAt preview } }
      }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
    }
  }
`);

export const ModelMessagesPage = graphql(`
  query CliModelMessagesPage($filter: SessionFilter, $first: Int, $after: String) {
    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      __typename
      ... on SessionConnection {
        pageInfo { hasNextPage endCursor }
        edges { node { id modelMessages { role content name toolCallId toolCalls } } }
      }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
    }
  }
`);

export const SessionIdsPage = graphql(`
  query CliSessionIdsPage($filter: SessionFilter, $first: Int, $after: String) {
    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
      __typename
      ... on SessionConnection {
        pageInfo { hasNextPage endCursor }
        edges { node { id } }
      }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
    }
  }
`);

export const ShowSession = graphql(`
  query CliShowSession($id: ID!, $last: Int, $before: String) {
    session(id: $id) {
      id ownerId title model systemPrompt metadata messageCount createdAt updatedAt
      activeRun { id status }
      messages(last: $last, before: $before) {
        pageInfo { hasPreviousPage startCursor }
        edges { node { seq role name content createdAt } }
      }
    }
  }
`);

export const SessionExists = graphql(`
  query CliSessionExists($id: ID!) {
    session(id: $id) { id title }
  }
`);

export const DeleteSession = graphql(`
  mutation CliDeleteSession($id: ID!) {
    deleteSession(id: $id) {
      __typename
      ... on DeletedSession { id messageCount }
      ... on Error { message }
    }
  }
`);

export const ExportSession = graphql(`
  query CliExportSession($id: ID!, $format: ExchangeFormat) {
    exportSession(id: $id, format: $format) {
      __typename
      ... on ExportedSession { format document }
      ... on Error { message }
    }
  }
`);

export const ImportSession = graphql(`
  mutation CliImportSession($document: JSON!, $newId: ID, $ownerId: ID) {
    importSession(document: $document, newId: $newId, ownerId: $ownerId) {
      __typename
      ... on Session { id title messageCount }
      ... on ConflictError { message reason }
      ... on ValidationError { message problems { path message } }
      ... on LimitExceededError { message violations { path message } }
    }
  }
`);

export const CreateSession = graphql(`
  mutation CliCreateSession($input: CreateSessionInput!) {
    createSession(input: $input) {
      __typename
      ... on Session { id }
      ... on Error { message }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { violations { path message } }
    }
  }
`);

export const SendMessage = graphql(`
  mutation CliSendMessage($sessionId: ID!, $message: SendMessageInput!) {
    sendMessage(sessionId: $sessionId, message: $message) {
      __typename
      ... on SendMessagePayload { run { id } }
      ... on Error { message }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { violations { path message } }
    }
  }
`);

export const CancelRun = graphql(`
  mutation CliCancelRun($id: ID!) {
    cancelRun(id: $id) {
      __typename
      ... on Run { status }
      ... on Error { message }
    }
  }
`);

export const RunEvents = graphql(`
  subscription CliRunEvents($runId: ID!, $afterOffset: Int) {
    runEvents(runId: $runId, afterOffset: $afterOffset) {
      offset type text
      run { status error { code message } }
    }
  }
`);

export const CopySession = graphql(`
  mutation CliCopySession($id: ID!) {
    copySession(id: $id) {
      __typename
      ... on Session { id messageCount }
      ... on Error { message }
      ... on ValidationError { problems { path message } }
      ... on LimitExceededError { violations { path message } }
    }
  }
`);

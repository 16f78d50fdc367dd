/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query CliSessions($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after) {\n      __typename\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id ownerId title model metadata messageCount createdAt updatedAt preview } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": typeof types.CliSessionsDocument,
    "\n  query CliModelMessagesPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id modelMessages { role content name toolCallId toolCalls } } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": typeof types.CliModelMessagesPageDocument,
    "\n  query CliSessionIdsPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": typeof types.CliSessionIdsPageDocument,
    "\n  query CliShowSession($id: ID!, $last: Int, $before: String) {\n    session(id: $id) {\n      id ownerId title model systemPrompt metadata messageCount createdAt updatedAt\n      activeRun { id status }\n      messages(last: $last, before: $before) {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { seq role name content createdAt } }\n      }\n    }\n  }\n": typeof types.CliShowSessionDocument,
    "\n  query CliSessionExists($id: ID!) {\n    session(id: $id) { id title }\n  }\n": typeof types.CliSessionExistsDocument,
    "\n  mutation CliDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on DeletedSession { id messageCount }\n      ... on Error { message }\n    }\n  }\n": typeof types.CliDeleteSessionDocument,
    "\n  query CliExportSession($id: ID!, $format: ExchangeFormat) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { format document }\n      ... on Error { message }\n    }\n  }\n": typeof types.CliExportSessionDocument,
    "\n  mutation CliImportSession($document: JSON!, $newId: ID, $ownerId: ID) {\n    importSession(document: $document, newId: $newId, ownerId: $ownerId) {\n      __typename\n      ... on Session { id title messageCount }\n      ... on ConflictError { message reason }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": typeof types.CliImportSessionDocument,
    "\n  mutation CliCreateSession($input: CreateSessionInput!) {\n    createSession(input: $input) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": typeof types.CliCreateSessionDocument,
    "\n  mutation CliSendMessage($sessionId: ID!, $message: SendMessageInput!) {\n    sendMessage(sessionId: $sessionId, message: $message) {\n      __typename\n      ... on SendMessagePayload { run { id } }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": typeof types.CliSendMessageDocument,
    "\n  mutation CliCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on Run { status }\n      ... on Error { message }\n    }\n  }\n": typeof types.CliCancelRunDocument,
    "\n  subscription CliRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      offset type text\n      run { status error { code message } }\n    }\n  }\n": typeof types.CliRunEventsDocument,
    "\n  mutation CliCopySession($id: ID!) {\n    copySession(id: $id) {\n      __typename\n      ... on Session { id messageCount }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": typeof types.CliCopySessionDocument,
};
const documents: Documents = {
    "\n  query CliSessions($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after) {\n      __typename\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id ownerId title model metadata messageCount createdAt updatedAt preview } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": types.CliSessionsDocument,
    "\n  query CliModelMessagesPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id modelMessages { role content name toolCallId toolCalls } } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": types.CliModelMessagesPageDocument,
    "\n  query CliSessionIdsPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": types.CliSessionIdsPageDocument,
    "\n  query CliShowSession($id: ID!, $last: Int, $before: String) {\n    session(id: $id) {\n      id ownerId title model systemPrompt metadata messageCount createdAt updatedAt\n      activeRun { id status }\n      messages(last: $last, before: $before) {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { seq role name content createdAt } }\n      }\n    }\n  }\n": types.CliShowSessionDocument,
    "\n  query CliSessionExists($id: ID!) {\n    session(id: $id) { id title }\n  }\n": types.CliSessionExistsDocument,
    "\n  mutation CliDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on DeletedSession { id messageCount }\n      ... on Error { message }\n    }\n  }\n": types.CliDeleteSessionDocument,
    "\n  query CliExportSession($id: ID!, $format: ExchangeFormat) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { format document }\n      ... on Error { message }\n    }\n  }\n": types.CliExportSessionDocument,
    "\n  mutation CliImportSession($document: JSON!, $newId: ID, $ownerId: ID) {\n    importSession(document: $document, newId: $newId, ownerId: $ownerId) {\n      __typename\n      ... on Session { id title messageCount }\n      ... on ConflictError { message reason }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n": types.CliImportSessionDocument,
    "\n  mutation CliCreateSession($input: CreateSessionInput!) {\n    createSession(input: $input) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": types.CliCreateSessionDocument,
    "\n  mutation CliSendMessage($sessionId: ID!, $message: SendMessageInput!) {\n    sendMessage(sessionId: $sessionId, message: $message) {\n      __typename\n      ... on SendMessagePayload { run { id } }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": types.CliSendMessageDocument,
    "\n  mutation CliCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on Run { status }\n      ... on Error { message }\n    }\n  }\n": types.CliCancelRunDocument,
    "\n  subscription CliRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      offset type text\n      run { status error { code message } }\n    }\n  }\n": types.CliRunEventsDocument,
    "\n  mutation CliCopySession($id: ID!) {\n    copySession(id: $id) {\n      __typename\n      ... on Session { id messageCount }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n": types.CliCopySessionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliSessions($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after) {\n      __typename\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { id ownerId title model metadata messageCount createdAt updatedAt preview } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliSessionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliModelMessagesPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id modelMessages { role content name toolCallId toolCalls } } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliModelMessagesPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliSessionIdsPage($filter: SessionFilter, $first: Int, $after: String) {\n    sessions(filter: $filter, first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {\n      __typename\n      ... on SessionConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliSessionIdsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliShowSession($id: ID!, $last: Int, $before: String) {\n    session(id: $id) {\n      id ownerId title model systemPrompt metadata messageCount createdAt updatedAt\n      activeRun { id status }\n      messages(last: $last, before: $before) {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { seq role name content createdAt } }\n      }\n    }\n  }\n"): typeof import('./graphql.js').CliShowSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliSessionExists($id: ID!) {\n    session(id: $id) { id title }\n  }\n"): typeof import('./graphql.js').CliSessionExistsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on DeletedSession { id messageCount }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').CliDeleteSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliExportSession($id: ID!, $format: ExchangeFormat) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { format document }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').CliExportSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliImportSession($document: JSON!, $newId: ID, $ownerId: ID) {\n    importSession(document: $document, newId: $newId, ownerId: $ownerId) {\n      __typename\n      ... on Session { id title messageCount }\n      ... on ConflictError { message reason }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliImportSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateSession($input: CreateSessionInput!) {\n    createSession(input: $input) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliCreateSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliSendMessage($sessionId: ID!, $message: SendMessageInput!) {\n    sendMessage(sessionId: $sessionId, message: $message) {\n      __typename\n      ... on SendMessagePayload { run { id } }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliSendMessageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      __typename\n      ... on Run { status }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql.js').CliCancelRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      offset type text\n      run { status error { code message } }\n    }\n  }\n"): typeof import('./graphql.js').CliRunEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCopySession($id: ID!) {\n    copySession(id: $id) {\n      __typename\n      ... on Session { id messageCount }\n      ... on Error { message }\n      ... on ValidationError { problems { path message } }\n      ... on LimitExceededError { violations { path message } }\n    }\n  }\n"): typeof import('./graphql.js').CliCopySessionDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

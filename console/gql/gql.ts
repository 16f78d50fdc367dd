/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

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
    "\n  fragment SessionRow on Session {\n    id\n    title\n    preview\n    messageCount\n    createdAt\n    updatedAt\n    model\n    ownerId\n    metadata\n  }\n": typeof types.SessionRowFragmentDoc,
    "\n  query ConsoleSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...SessionRow } }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleSessionsDocument,
    "\n  subscription ConsoleSessionEvents($resyncFirst: Boolean) {\n    sessionEvents(resyncFirst: $resyncFirst) {\n      type\n      sessionId\n      session { ...SessionRow }\n    }\n  }\n": typeof types.ConsoleSessionEventsDocument,
    "\n  fragment ConsoleMessage on Message {\n    id\n    seq\n    role\n    name\n    content\n    createdAt\n    metadata\n  }\n": typeof types.ConsoleMessageFragmentDoc,
    "\n  query ConsoleConversation($id: ID!, $last: Int!, $before: String) {\n    session(id: $id) {\n      id\n      title\n      model\n      systemPrompt\n      lastSeq\n      messageCount\n      ...ConsoleSettings\n      activeRun { id status }\n    }\n    history(sessionId: $id, last: $last, before: $before) {\n      ... on MessageConnection {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { ...ConsoleMessage } }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleConversationDocument,
    "\n  query ConsoleActiveRun($id: ID!) {\n    session(id: $id) { id activeRun { id } }\n  }\n": typeof types.ConsoleActiveRunDocument,
    "\n  subscription ConsoleMessageAdded($sessionId: ID!, $afterSeq: Int) {\n    messageAdded(sessionId: $sessionId, afterSeq: $afterSeq) { ...ConsoleMessage }\n  }\n": typeof types.ConsoleMessageAddedDocument,
    "\n  mutation ConsoleSendMessage($sessionId: ID!, $content: String!, $clientId: String) {\n    sendMessage(sessionId: $sessionId, message: { content: $content, clientId: $clientId }) {\n      ... on SendMessagePayload { userMessage { ...ConsoleMessage } run { id status } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleSendMessageDocument,
    "\n  subscription ConsoleRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      runId\n      offset\n      type\n      text\n      run { id status error { code message } }\n      message { ...ConsoleMessage }\n    }\n  }\n": typeof types.ConsoleRunEventsDocument,
    "\n  mutation ConsoleCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleCancelRunDocument,
    "\n  mutation ConsoleDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleDeleteSessionDocument,
    "\n  mutation ConsoleCopySession($id: ID!, $upToSeq: Int, $title: String) {\n    copySession(id: $id, upToSeq: $upToSeq, title: $title) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleCopySessionDocument,
    "\n  mutation ConsoleStartRun($sessionId: ID!, $clientId: String) {\n    startRun(sessionId: $sessionId, clientId: $clientId) {\n      __typename\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleStartRunDocument,
    "\n  fragment ConsoleSettings on Session {\n    id\n    version\n    title\n    model\n    systemPrompt\n    personaId\n    persona { id name }\n    metadata\n    context\n  }\n": typeof types.ConsoleSettingsFragmentDoc,
    "\n  mutation ConsoleUpdateSession($id: ID!, $input: UpdateSessionInput!) {\n    updateSession(id: $id, input: $input) {\n      __typename\n      ... on Session { ...ConsoleSettings }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleUpdateSessionDocument,
    "\n  query ConsoleExportSession($id: ID!, $format: ExchangeFormat!) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { document }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleExportSessionDocument,
    "\n  mutation ConsoleImportSession($document: JSON!) {\n    importSession(document: $document) {\n      __typename\n      ... on Session { id title }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleImportSessionDocument,
    "\n  mutation ConsoleMergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String, $ownerId: ID, $newId: ID) {\n    mergeSessions(ids: $ids, order: $order, title: $title, ownerId: $ownerId, newId: $newId) {\n      __typename\n      ... on Session { id }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on NotFoundError { message entityId }\n      ... on ConflictError { message reason }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleMergeSessionsDocument,
    "\n  fragment ConsoleUser on User {\n    id\n    name\n    profile\n    metadata\n    vector\n    updatedAt\n    sessions(first: 0) { totalCount }\n  }\n": typeof types.ConsoleUserFragmentDoc,
    "\n  query ConsoleUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      __typename\n      ... on UserConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...ConsoleUser } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleUsersDocument,
    "\n  query ConsoleUserExists($id: ID!) {\n    user(id: $id) { id }\n  }\n": typeof types.ConsoleUserExistsDocument,
    "\n  mutation ConsoleUpsertUser($input: UpsertUserInput!) {\n    upsertUser(input: $input) {\n      __typename\n      ... on UpsertUserPayload { created user { ...ConsoleUser } }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleUpsertUserDocument,
    "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id) {\n      __typename\n      ... on DeleteUserPayload { id deletedSessionCount }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsoleDeleteUserDocument,
    "\n  query ConsolePersonas($after: String) {\n    users(first: 100, after: $after) {\n      __typename\n      ... on UserConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name } }\n      }\n      ... on Error { message }\n    }\n  }\n": typeof types.ConsolePersonasDocument,
};
const documents: Documents = {
    "\n  fragment SessionRow on Session {\n    id\n    title\n    preview\n    messageCount\n    createdAt\n    updatedAt\n    model\n    ownerId\n    metadata\n  }\n": types.SessionRowFragmentDoc,
    "\n  query ConsoleSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...SessionRow } }\n      }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleSessionsDocument,
    "\n  subscription ConsoleSessionEvents($resyncFirst: Boolean) {\n    sessionEvents(resyncFirst: $resyncFirst) {\n      type\n      sessionId\n      session { ...SessionRow }\n    }\n  }\n": types.ConsoleSessionEventsDocument,
    "\n  fragment ConsoleMessage on Message {\n    id\n    seq\n    role\n    name\n    content\n    createdAt\n    metadata\n  }\n": types.ConsoleMessageFragmentDoc,
    "\n  query ConsoleConversation($id: ID!, $last: Int!, $before: String) {\n    session(id: $id) {\n      id\n      title\n      model\n      systemPrompt\n      lastSeq\n      messageCount\n      ...ConsoleSettings\n      activeRun { id status }\n    }\n    history(sessionId: $id, last: $last, before: $before) {\n      ... on MessageConnection {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { ...ConsoleMessage } }\n      }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleConversationDocument,
    "\n  query ConsoleActiveRun($id: ID!) {\n    session(id: $id) { id activeRun { id } }\n  }\n": types.ConsoleActiveRunDocument,
    "\n  subscription ConsoleMessageAdded($sessionId: ID!, $afterSeq: Int) {\n    messageAdded(sessionId: $sessionId, afterSeq: $afterSeq) { ...ConsoleMessage }\n  }\n": types.ConsoleMessageAddedDocument,
    "\n  mutation ConsoleSendMessage($sessionId: ID!, $content: String!, $clientId: String) {\n    sendMessage(sessionId: $sessionId, message: { content: $content, clientId: $clientId }) {\n      ... on SendMessagePayload { userMessage { ...ConsoleMessage } run { id status } }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleSendMessageDocument,
    "\n  subscription ConsoleRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      runId\n      offset\n      type\n      text\n      run { id status error { code message } }\n      message { ...ConsoleMessage }\n    }\n  }\n": types.ConsoleRunEventsDocument,
    "\n  mutation ConsoleCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleCancelRunDocument,
    "\n  mutation ConsoleDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on Error { message }\n    }\n  }\n": types.ConsoleDeleteSessionDocument,
    "\n  mutation ConsoleCopySession($id: ID!, $upToSeq: Int, $title: String) {\n    copySession(id: $id, upToSeq: $upToSeq, title: $title) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleCopySessionDocument,
    "\n  mutation ConsoleStartRun($sessionId: ID!, $clientId: String) {\n    startRun(sessionId: $sessionId, clientId: $clientId) {\n      __typename\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleStartRunDocument,
    "\n  fragment ConsoleSettings on Session {\n    id\n    version\n    title\n    model\n    systemPrompt\n    personaId\n    persona { id name }\n    metadata\n    context\n  }\n": types.ConsoleSettingsFragmentDoc,
    "\n  mutation ConsoleUpdateSession($id: ID!, $input: UpdateSessionInput!) {\n    updateSession(id: $id, input: $input) {\n      __typename\n      ... on Session { ...ConsoleSettings }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleUpdateSessionDocument,
    "\n  query ConsoleExportSession($id: ID!, $format: ExchangeFormat!) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { document }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleExportSessionDocument,
    "\n  mutation ConsoleImportSession($document: JSON!) {\n    importSession(document: $document) {\n      __typename\n      ... on Session { id title }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleImportSessionDocument,
    "\n  mutation ConsoleMergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String, $ownerId: ID, $newId: ID) {\n    mergeSessions(ids: $ids, order: $order, title: $title, ownerId: $ownerId, newId: $newId) {\n      __typename\n      ... on Session { id }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on NotFoundError { message entityId }\n      ... on ConflictError { message reason }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleMergeSessionsDocument,
    "\n  fragment ConsoleUser on User {\n    id\n    name\n    profile\n    metadata\n    vector\n    updatedAt\n    sessions(first: 0) { totalCount }\n  }\n": types.ConsoleUserFragmentDoc,
    "\n  query ConsoleUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      __typename\n      ... on UserConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...ConsoleUser } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleUsersDocument,
    "\n  query ConsoleUserExists($id: ID!) {\n    user(id: $id) { id }\n  }\n": types.ConsoleUserExistsDocument,
    "\n  mutation ConsoleUpsertUser($input: UpsertUserInput!) {\n    upsertUser(input: $input) {\n      __typename\n      ... on UpsertUserPayload { created user { ...ConsoleUser } }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleUpsertUserDocument,
    "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id) {\n      __typename\n      ... on DeleteUserPayload { id deletedSessionCount }\n      ... on Error { message }\n    }\n  }\n": types.ConsoleDeleteUserDocument,
    "\n  query ConsolePersonas($after: String) {\n    users(first: 100, after: $after) {\n      __typename\n      ... on UserConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name } }\n      }\n      ... on Error { message }\n    }\n  }\n": types.ConsolePersonasDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionRow on Session {\n    id\n    title\n    preview\n    messageCount\n    createdAt\n    updatedAt\n    model\n    ownerId\n    metadata\n  }\n"): (typeof documents)["\n  fragment SessionRow on Session {\n    id\n    title\n    preview\n    messageCount\n    createdAt\n    updatedAt\n    model\n    ownerId\n    metadata\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...SessionRow } }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleSessions($filter: SessionFilter, $orderBy: SessionOrder, $first: Int, $after: String) {\n    sessions(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {\n      ... on SessionConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...SessionRow } }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleSessionEvents($resyncFirst: Boolean) {\n    sessionEvents(resyncFirst: $resyncFirst) {\n      type\n      sessionId\n      session { ...SessionRow }\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleSessionEvents($resyncFirst: Boolean) {\n    sessionEvents(resyncFirst: $resyncFirst) {\n      type\n      sessionId\n      session { ...SessionRow }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleMessage on Message {\n    id\n    seq\n    role\n    name\n    content\n    createdAt\n    metadata\n  }\n"): (typeof documents)["\n  fragment ConsoleMessage on Message {\n    id\n    seq\n    role\n    name\n    content\n    createdAt\n    metadata\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleConversation($id: ID!, $last: Int!, $before: String) {\n    session(id: $id) {\n      id\n      title\n      model\n      systemPrompt\n      lastSeq\n      messageCount\n      ...ConsoleSettings\n      activeRun { id status }\n    }\n    history(sessionId: $id, last: $last, before: $before) {\n      ... on MessageConnection {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { ...ConsoleMessage } }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleConversation($id: ID!, $last: Int!, $before: String) {\n    session(id: $id) {\n      id\n      title\n      model\n      systemPrompt\n      lastSeq\n      messageCount\n      ...ConsoleSettings\n      activeRun { id status }\n    }\n    history(sessionId: $id, last: $last, before: $before) {\n      ... on MessageConnection {\n        pageInfo { hasPreviousPage startCursor }\n        edges { node { ...ConsoleMessage } }\n      }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleActiveRun($id: ID!) {\n    session(id: $id) { id activeRun { id } }\n  }\n"): (typeof documents)["\n  query ConsoleActiveRun($id: ID!) {\n    session(id: $id) { id activeRun { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleMessageAdded($sessionId: ID!, $afterSeq: Int) {\n    messageAdded(sessionId: $sessionId, afterSeq: $afterSeq) { ...ConsoleMessage }\n  }\n"): (typeof documents)["\n  subscription ConsoleMessageAdded($sessionId: ID!, $afterSeq: Int) {\n    messageAdded(sessionId: $sessionId, afterSeq: $afterSeq) { ...ConsoleMessage }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleSendMessage($sessionId: ID!, $content: String!, $clientId: String) {\n    sendMessage(sessionId: $sessionId, message: { content: $content, clientId: $clientId }) {\n      ... on SendMessagePayload { userMessage { ...ConsoleMessage } run { id status } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleSendMessage($sessionId: ID!, $content: String!, $clientId: String) {\n    sendMessage(sessionId: $sessionId, message: { content: $content, clientId: $clientId }) {\n      ... on SendMessagePayload { userMessage { ...ConsoleMessage } run { id status } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConsoleRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      runId\n      offset\n      type\n      text\n      run { id status error { code message } }\n      message { ...ConsoleMessage }\n    }\n  }\n"): (typeof documents)["\n  subscription ConsoleRunEvents($runId: ID!, $afterOffset: Int) {\n    runEvents(runId: $runId, afterOffset: $afterOffset) {\n      runId\n      offset\n      type\n      text\n      run { id status error { code message } }\n      message { ...ConsoleMessage }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCancelRun($id: ID!) {\n    cancelRun(id: $id) {\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleDeleteSession($id: ID!) {\n    deleteSession(id: $id) {\n      __typename\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleCopySession($id: ID!, $upToSeq: Int, $title: String) {\n    copySession(id: $id, upToSeq: $upToSeq, title: $title) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleCopySession($id: ID!, $upToSeq: Int, $title: String) {\n    copySession(id: $id, upToSeq: $upToSeq, title: $title) {\n      __typename\n      ... on Session { id }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleStartRun($sessionId: ID!, $clientId: String) {\n    startRun(sessionId: $sessionId, clientId: $clientId) {\n      __typename\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleStartRun($sessionId: ID!, $clientId: String) {\n    startRun(sessionId: $sessionId, clientId: $clientId) {\n      __typename\n      ... on Run { id status }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleSettings on Session {\n    id\n    version\n    title\n    model\n    systemPrompt\n    personaId\n    persona { id name }\n    metadata\n    context\n  }\n"): (typeof documents)["\n  fragment ConsoleSettings on Session {\n    id\n    version\n    title\n    model\n    systemPrompt\n    personaId\n    persona { id name }\n    metadata\n    context\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpdateSession($id: ID!, $input: UpdateSessionInput!) {\n    updateSession(id: $id, input: $input) {\n      __typename\n      ... on Session { ...ConsoleSettings }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpdateSession($id: ID!, $input: UpdateSessionInput!) {\n    updateSession(id: $id, input: $input) {\n      __typename\n      ... on Session { ...ConsoleSettings }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleExportSession($id: ID!, $format: ExchangeFormat!) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { document }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleExportSession($id: ID!, $format: ExchangeFormat!) {\n    exportSession(id: $id, format: $format) {\n      __typename\n      ... on ExportedSession { document }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleImportSession($document: JSON!) {\n    importSession(document: $document) {\n      __typename\n      ... on Session { id title }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleImportSession($document: JSON!) {\n    importSession(document: $document) {\n      __typename\n      ... on Session { id title }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleMergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String, $ownerId: ID, $newId: ID) {\n    mergeSessions(ids: $ids, order: $order, title: $title, ownerId: $ownerId, newId: $newId) {\n      __typename\n      ... on Session { id }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on NotFoundError { message entityId }\n      ... on ConflictError { message reason }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleMergeSessions($ids: [ID!]!, $order: MergeOrder, $title: String, $ownerId: ID, $newId: ID) {\n    mergeSessions(ids: $ids, order: $order, title: $title, ownerId: $ownerId, newId: $newId) {\n      __typename\n      ... on Session { id }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on NotFoundError { message entityId }\n      ... on ConflictError { message reason }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConsoleUser on User {\n    id\n    name\n    profile\n    metadata\n    vector\n    updatedAt\n    sessions(first: 0) { totalCount }\n  }\n"): (typeof documents)["\n  fragment ConsoleUser on User {\n    id\n    name\n    profile\n    metadata\n    vector\n    updatedAt\n    sessions(first: 0) { totalCount }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      __typename\n      ... on UserConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...ConsoleUser } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  query ConsoleUsers($first: Int, $after: String) {\n    users(first: $first, after: $after) {\n      __typename\n      ... on UserConnection {\n        totalCount\n        pageInfo { hasNextPage endCursor }\n        edges { node { ...ConsoleUser } }\n      }\n      ... on ValidationError { message problems { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsoleUserExists($id: ID!) {\n    user(id: $id) { id }\n  }\n"): (typeof documents)["\n  query ConsoleUserExists($id: ID!) {\n    user(id: $id) { id }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleUpsertUser($input: UpsertUserInput!) {\n    upsertUser(input: $input) {\n      __typename\n      ... on UpsertUserPayload { created user { ...ConsoleUser } }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleUpsertUser($input: UpsertUserInput!) {\n    upsertUser(input: $input) {\n      __typename\n      ... on UpsertUserPayload { created user { ...ConsoleUser } }\n      ... on ValidationError { message problems { path message } }\n      ... on LimitExceededError { message violations { path message } }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id) {\n      __typename\n      ... on DeleteUserPayload { id deletedSessionCount }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  mutation ConsoleDeleteUser($id: ID!) {\n    deleteUser(id: $id) {\n      __typename\n      ... on DeleteUserPayload { id deletedSessionCount }\n      ... on Error { message }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ConsolePersonas($after: String) {\n    users(first: 100, after: $after) {\n      __typename\n      ... on UserConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name } }\n      }\n      ... on Error { message }\n    }\n  }\n"): (typeof documents)["\n  query ConsolePersonas($after: String) {\n    users(first: 100, after: $after) {\n      __typename\n      ... on UserConnection {\n        pageInfo { hasNextPage endCursor }\n        edges { node { id name } }\n      }\n      ... on Error { message }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;
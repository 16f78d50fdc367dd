/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ConflictReason =
  /** The id asked for is already in use. */
  | 'ID_TAKEN'
  /** The session already has a run in progress, and the strategy is REJECT: wait for it, cancel it, or ask for ENQUEUE or INTERRUPT. */
  | 'RUN_ACTIVE'
  /** Messages were appended since the seq given in expectedSeq. */
  | 'SEQ_MISMATCH'
  /** The session changed since the version given in expectedVersion. */
  | 'VERSION_MISMATCH';

export type CreateSessionInput = {
  context?: Record<string, unknown> | null | undefined;
  /** Your own id for the session (admins only: session ids are shared by every owner); a UUID is made when absent. */
  id?: string | number | null | undefined;
  /** Initial messages, stored with seqs 1..n. */
  messages?: Array<MessageInput> | null | undefined;
  metadata?: Record<string, unknown> | null | undefined;
  model?: string | null | undefined;
  ownerId?: string | number | null | undefined;
  /** A user profile to personalise the replies with (yours, unless you are an admin). */
  personaId?: string | number | null | undefined;
  systemPrompt?: string | null | undefined;
  title?: string | null | undefined;
};

export type ExchangeFormat =
  /** A bare chat-completion message list: [{role, content}], the system prompt first. */
  | 'CHAT_MESSAGES'
  /** Parley's own versioned document ({"format": "parley.session", "version": 1, …}): lossless. */
  | 'PARLEY'
  /** The session file of several Python SDKs: {id, title, created_at, updated_at, messages, context, metadata}. */
  | 'SDK';

export type MessageInput = {
  /** Your idempotency key, unique within the session: a retry with the same clientId returns the stored message. */
  clientId?: string | null | undefined;
  content: string;
  /** For tool messages: tool_call_id; for assistant messages: tool_calls. */
  metadata?: Record<string, unknown> | null | undefined;
  /** Tool or participant name. */
  name?: string | null | undefined;
  role: Role;
};

export type Role =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

/** Why a run failed: the provider's reason (UNAVAILABLE, RATE_LIMITED, TIMEOUT, BAD_RESPONSE, NOT_CONFIGURED), or LEASE_EXPIRED (its server stopped answering), RUN_TIMEOUT, SERVER_STOPPED, INTERNAL. */
export type RunErrorCode =
  | 'BAD_RESPONSE'
  | 'INTERNAL'
  | 'LEASE_EXPIRED'
  | 'NOT_CONFIGURED'
  | 'RATE_LIMITED'
  | 'RUN_TIMEOUT'
  | 'SERVER_STOPPED'
  | 'TIMEOUT'
  | 'UNAVAILABLE';

export type RunEventType =
  /** A piece of the reply, in `text`. */
  | 'DELTA'
  /** The last event: the run as it ended, and the message it stored (if any). */
  | 'END';

/** QUEUED and RUNNING runs are in progress; the others are over and never change again. */
export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** A USER message. */
export type SendMessageInput = {
  /** Your idempotency key: a retry with the same clientId stores nothing again and returns the run the first call started. */
  clientId?: string | null | undefined;
  content: string;
  metadata?: Record<string, unknown> | null | undefined;
  name?: string | null | undefined;
};

/** Every criterion given must hold. */
export type SessionFilter = {
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  /** Key by key: the session metadata value equals the scalar given, or is an array containing it. */
  metadata?: Record<string, unknown> | null | undefined;
  ownerId?: string | number | null | undefined;
  /** Case-insensitive. */
  titleContains?: string | null | undefined;
  updatedAfter?: string | null | undefined;
  updatedBefore?: string | null | undefined;
};

export type CliSessionsQueryVariables = Exact<{
  filter?: SessionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CliSessionsQuery = { sessions:
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'SessionConnection', totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, ownerId: string | null, title: string | null, model: string | null, metadata: Record<string, unknown>, messageCount: number, createdAt: string, updatedAt: string, preview: string | null } }> }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliModelMessagesPageQueryVariables = Exact<{
  filter?: SessionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CliModelMessagesPageQuery = { sessions:
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'SessionConnection', pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, modelMessages: Array<{ role: string, content: string | null, name: string | null, toolCallId: string | null, toolCalls: unknown }> } }> }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliSessionIdsPageQueryVariables = Exact<{
  filter?: SessionFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CliSessionIdsPageQuery = { sessions:
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'SessionConnection', pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string } }> }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliShowSessionQueryVariables = Exact<{
  id: string | number;
  last?: number | null | undefined;
  before?: string | null | undefined;
}>;


export type CliShowSessionQuery = { session: { id: string, ownerId: string | null, title: string | null, model: string | null, systemPrompt: string | null, metadata: Record<string, unknown>, messageCount: number, createdAt: string, updatedAt: string, activeRun: { id: string, status: RunStatus } | null, messages: { pageInfo: { hasPreviousPage: boolean, startCursor: string | null }, edges: Array<{ node: { seq: number, role: Role, name: string | null, content: string, createdAt: string } }> } } | null };

export type CliSessionExistsQueryVariables = Exact<{
  id: string | number;
}>;


export type CliSessionExistsQuery = { session: { id: string, title: string | null } | null };

export type CliDeleteSessionMutationVariables = Exact<{
  id: string | number;
}>;


export type CliDeleteSessionMutation = { deleteSession:
    | { __typename: 'DeletedSession', id: string, messageCount: number }
    | { __typename: 'NotFoundError', message: string }
   };

export type CliExportSessionQueryVariables = Exact<{
  id: string | number;
  format?: ExchangeFormat | null | undefined;
}>;


export type CliExportSessionQuery = { exportSession:
    | { __typename: 'ExportedSession', format: ExchangeFormat, document: unknown }
    | { __typename: 'NotFoundError', message: string }
   };

export type CliImportSessionMutationVariables = Exact<{
  document: unknown;
  newId?: string | number | null | undefined;
  ownerId?: string | number | null | undefined;
}>;


export type CliImportSessionMutation = { importSession:
    | { __typename: 'ConflictError', message: string, reason: ConflictReason }
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'Session', id: string, title: string | null, messageCount: number }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliCreateSessionMutationVariables = Exact<{
  input: CreateSessionInput;
}>;


export type CliCreateSessionMutation = { createSession:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'Session', id: string }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliSendMessageMutationVariables = Exact<{
  sessionId: string | number;
  message: SendMessageInput;
}>;


export type CliSendMessageMutation = { sendMessage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'SendMessagePayload', run: { id: string } }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export type CliCancelRunMutationVariables = Exact<{
  id: string | number;
}>;


export type CliCancelRunMutation = { cancelRun:
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'Run', status: RunStatus }
   };

export type CliRunEventsSubscriptionVariables = Exact<{
  runId: string | number;
  afterOffset?: number | null | undefined;
}>;


export type CliRunEventsSubscription = { runEvents: { offset: number, type: RunEventType, text: string | null, run: { status: RunStatus, error: { code: RunErrorCode, message: string } | null } | null } };

export type CliCopySessionMutationVariables = Exact<{
  id: string | number;
}>;


export type CliCopySessionMutation = { copySession:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'LimitExceededError', message: string, violations: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'Session', id: string, messageCount: number }
    | { __typename: 'ValidationError', message: string, problems: Array<{ path: Array<string>, message: string }> }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CliSessionsDocument = new TypedDocumentString(`
    query CliSessions($filter: SessionFilter, $first: Int, $after: String) {
  sessions(filter: $filter, first: $first, after: $after) {
    __typename
    ... on SessionConnection {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ownerId
          title
          model
          metadata
          messageCount
          createdAt
          updatedAt
          preview
        }
      }
    }
    ... on ValidationError {
      message
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      message
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliSessionsQuery, CliSessionsQueryVariables>;
export const CliModelMessagesPageDocument = new TypedDocumentString(`
    query CliModelMessagesPage($filter: SessionFilter, $first: Int, $after: String) {
  sessions(
    filter: $filter
    first: $first
    after: $after
    orderBy: {field: CREATED_AT, direction: ASC}
  ) {
    __typename
    ... on SessionConnection {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          modelMessages {
            role
            content
            name
            toolCallId
            toolCalls
          }
        }
      }
    }
    ... on ValidationError {
      message
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      message
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliModelMessagesPageQuery, CliModelMessagesPageQueryVariables>;
export const CliSessionIdsPageDocument = new TypedDocumentString(`
    query CliSessionIdsPage($filter: SessionFilter, $first: Int, $after: String) {
  sessions(
    filter: $filter
    first: $first
    after: $after
    orderBy: {field: CREATED_AT, direction: ASC}
  ) {
    __typename
    ... on SessionConnection {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
        }
      }
    }
    ... on ValidationError {
      message
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      message
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliSessionIdsPageQuery, CliSessionIdsPageQueryVariables>;
export const CliShowSessionDocument = new TypedDocumentString(`
    query CliShowSession($id: ID!, $last: Int, $before: String) {
  session(id: $id) {
    id
    ownerId
    title
    model
    systemPrompt
    metadata
    messageCount
    createdAt
    updatedAt
    activeRun {
      id
      status
    }
    messages(last: $last, before: $before) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      edges {
        node {
          seq
          role
          name
          content
          createdAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliShowSessionQuery, CliShowSessionQueryVariables>;
export const CliSessionExistsDocument = new TypedDocumentString(`
    query CliSessionExists($id: ID!) {
  session(id: $id) {
    id
    title
  }
}
    `) as unknown as TypedDocumentString<CliSessionExistsQuery, CliSessionExistsQueryVariables>;
export const CliDeleteSessionDocument = new TypedDocumentString(`
    mutation CliDeleteSession($id: ID!) {
  deleteSession(id: $id) {
    __typename
    ... on DeletedSession {
      id
      messageCount
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CliDeleteSessionMutation, CliDeleteSessionMutationVariables>;
export const CliExportSessionDocument = new TypedDocumentString(`
    query CliExportSession($id: ID!, $format: ExchangeFormat) {
  exportSession(id: $id, format: $format) {
    __typename
    ... on ExportedSession {
      format
      document
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CliExportSessionQuery, CliExportSessionQueryVariables>;
export const CliImportSessionDocument = new TypedDocumentString(`
    mutation CliImportSession($document: JSON!, $newId: ID, $ownerId: ID) {
  importSession(document: $document, newId: $newId, ownerId: $ownerId) {
    __typename
    ... on Session {
      id
      title
      messageCount
    }
    ... on ConflictError {
      message
      reason
    }
    ... on ValidationError {
      message
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      message
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliImportSessionMutation, CliImportSessionMutationVariables>;
export const CliCreateSessionDocument = new TypedDocumentString(`
    mutation CliCreateSession($input: CreateSessionInput!) {
  createSession(input: $input) {
    __typename
    ... on Session {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliCreateSessionMutation, CliCreateSessionMutationVariables>;
export const CliSendMessageDocument = new TypedDocumentString(`
    mutation CliSendMessage($sessionId: ID!, $message: SendMessageInput!) {
  sendMessage(sessionId: $sessionId, message: $message) {
    __typename
    ... on SendMessagePayload {
      run {
        id
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliSendMessageMutation, CliSendMessageMutationVariables>;
export const CliCancelRunDocument = new TypedDocumentString(`
    mutation CliCancelRun($id: ID!) {
  cancelRun(id: $id) {
    __typename
    ... on Run {
      status
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CliCancelRunMutation, CliCancelRunMutationVariables>;
export const CliRunEventsDocument = new TypedDocumentString(`
    subscription CliRunEvents($runId: ID!, $afterOffset: Int) {
  runEvents(runId: $runId, afterOffset: $afterOffset) {
    offset
    type
    text
    run {
      status
      error {
        code
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliRunEventsSubscription, CliRunEventsSubscriptionVariables>;
export const CliCopySessionDocument = new TypedDocumentString(`
    mutation CliCopySession($id: ID!) {
  copySession(id: $id) {
    __typename
    ... on Session {
      id
      messageCount
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      problems {
        path
        message
      }
    }
    ... on LimitExceededError {
      violations {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CliCopySessionMutation, CliCopySessionMutationVariables>;
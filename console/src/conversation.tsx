import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { client } from './client.js';
import { Composer } from './composer.js';
import { setDraft } from './drafts.js';
import { MessageView } from './message.js';
import { SessionActions } from './session-actions.js';
import { useLive } from './live.js';
import { ActiveRunQuery, ConversationQuery, CopySessionMutation, SessionEventsSubscription, MessageAddedSubscription, RunEventsSubscription } from './operations.js';
import type { ConsoleConversationQuery, ConsoleMessageFragment } from '../gql/graphql.js';

/** How long a user message from elsewhere is watched for the run that answers it. */
const FOLLOW_RUN_MS = 8000;

const PAGE = 30;

type SessionInfo = NonNullable<ConsoleConversationQuery['session']>;

/** The reply being generated: what has arrived of it so far. */
interface Reply {
  runId: string;
  text: string;
  offset: number;
}

/** Adds messages to a list ordered by seq, each seq once. */
function merge(list: ConsoleMessageFragment[], more: ConsoleMessageFragment[]): ConsoleMessageFragment[] {
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const m of more) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

const runOf = (m: ConsoleMessageFragment) => (m.metadata['run'] as { id?: string } | undefined)?.id;

/** One session: its latest page first, older pages on demand, new messages and the reply live. */
export function Conversation({ id }: { id: string }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [messages, setMessages] = useState<ConsoleMessageFragment[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reply, setReplyState] = useState<Reply | null>(null);
  const setReply = (next: Reply | null | ((r: Reply | null) => Reply | null)) =>
    setReplyState((r) => {
      const value = typeof next === 'function' ? next(r) : next;
      following.current = value?.runId ?? null;
      return value;
    });
  const [loadingOlder, setLoadingOlder] = useState(false);
  /** An older page is being read (state is a render behind in scroll events). */
  const reading = useRef(false);
  const lastSeq = useRef(0);
  /** The run whose reply is being followed now (state is a render behind in event handlers). */
  const following = useRef<string | null>(null);
  const offset = useRef(0);
  const scroller = useRef<HTMLDivElement>(null);
  const keepBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  /** A page of the history: the latest (before null), or the one before a cursor. `refresh` reads the latest again, keeping the older pages shown. */
  async function read(before: string | null, refresh = false) {
    const result = await client.query(ConversationQuery, { id, last: PAGE, before }).toPromise();
    const history = result.data?.history;
    if (!result.data || !history || !('edges' in history)) {
      setError(result.error?.message ?? (history && 'message' in history ? history.message : 'The conversation could not be read.'));
      if (result.data && !result.data.session) setSession(null);
      return;
    }
    const page = history.edges.map((e) => e.node);
    if (!refresh) setOlder(history.pageInfo.hasPreviousPage ? (history.pageInfo.startCursor ?? null) : null);
    setMessages((list) => merge(list, page));
    if (before === null) {
      setSession(result.data.session);
      lastSeq.current = Math.max(lastSeq.current, ...page.map((m) => m.seq));
      const run = result.data.session?.activeRun;
      if (run) follow(run.id, 0);
    }
  }

  /**
   * A user message sent from elsewhere (another tab, another client) is usually answered by a run:
   * follow it too. The run is created just after its message, so look again for a while (a busy
   * server may take more than a second), until a run or the next message shows up.
   */
  async function followRunOf(message: ConsoleMessageFragment) {
    const until = Date.now() + FOLLOW_RUN_MS;
    for (let attempt = 1; ; attempt++) {
      if (following.current !== null) return;
      const result = await client.query(ActiveRunQuery, { id }, { requestPolicy: 'network-only' }).toPromise();
      const run = result.data?.session?.activeRun;
      if (run) return follow(run.id, 0);
      if (lastSeq.current > message.seq || Date.now() > until) return; // answered (or followed by something else) already
      await new Promise((resolve) => setTimeout(resolve, Math.min(150 * attempt, 1000)));
    }
  }

  function follow(runId: string, from: number) {
    if (following.current === runId) return; // followed already: its offset stays where it is
    offset.current = from;
    setReply((r) => (r?.runId === runId ? r : { runId, text: '', offset: from }));
  }

  useEffect(() => {
    setSession(undefined);
    setMessages([]);
    setReply(null);
    setError(null);
    lastSeq.current = 0;
    keepBottom.current = true;
    void read(null);
  }, [id]);

  useLive(
    MessageAddedSubscription,
    session ? id : null,
    () => ({ sessionId: id, afterSeq: lastSeq.current }),
    ({ messageAdded: m }) => {
      lastSeq.current = Math.max(lastSeq.current, m.seq);
      setMessages((list) => merge(list, [m]));
      if (runOf(m)) setReply((r) => (r && r.runId === runOf(m) ? null : r));
      else if (m.role === 'USER' && following.current === null) void followRunOf(m);
    },
  );

  // The session's own changes (its title, its model), and RESYNC: events may have been lost while
  // the server's event bus was away, so read the session and its latest page again.
  useLive(
    SessionEventsSubscription,
    session ? id : null,
    () => ({}),
    ({ sessionEvents: event }) => {
      if (event.type === 'RESYNC') return void read(null, true);
      if (event.type === 'UPDATED' && event.sessionId === id && event.session) {
        const { title, model } = event.session;
        setSession((s) => (s ? { ...s, title, model } : s));
      }
    },
    () => void read(null, true),
  );

  useLive(
    RunEventsSubscription,
    reply?.runId ?? null,
    () => ({ runId: reply!.runId, afterOffset: offset.current }),
    ({ runEvents: event }) => {
      offset.current = event.offset;
      if (event.type === 'DELTA') {
        setReply((r) => (r && r.runId === event.runId ? { ...r, text: r.text + (event.text ?? ''), offset: event.offset } : r));
        return;
      }
      if (event.message) setMessages((list) => merge(list, [event.message!]));
      const failure = event.run?.error;
      if (failure && event.run?.status === 'FAILED') setError(`The reply failed: ${failure.message} (${failure.code})`);
      setReply((r) => (r?.runId === event.runId ? null : r));
    },
  );

  // Where a screen reader or keyboard user lands on opening a session, as after a page load.
  const opened = session !== undefined && session !== null;
  useEffect(() => {
    if (opened) heading.current?.focus({ preventScroll: true });
  }, [opened]);

  // Stay at the bottom while new text arrives, unless the reader scrolled up; keep the view still when older pages come in.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current) {
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (keepBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, reply?.text]);

  /** "Edit and retry": a copy of the session up to the message before this one, its text in the copy's composer. */
  async function editAndRetry(m: ConsoleMessageFragment) {
    const result = await client.mutation(CopySessionMutation, { id, upToSeq: m.seq - 1, title: `${session?.title || 'Untitled session'} (edited)` }).toPromise();
    const copy = result.data?.copySession;
    if (copy?.__typename === 'Session') {
      setDraft(copy.id, m.content);
      location.hash = `#/sessions/${encodeURIComponent(copy.id)}`;
    } else {
      setError(copy && 'message' in copy ? copy.message : (result.error?.message ?? 'The session could not be copied.'));
    }
  }

  /** The page before the oldest shown; the messages in view stay where they are on the screen. */
  async function loadOlder() {
    const el = scroller.current;
    if (!older || !el || reading.current) return;
    reading.current = true;
    setLoadingOlder(true);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    await read(older);
    reading.current = false;
    setLoadingOlder(false);
  }

  if (session === null) return <p role="alert" class="error">There is no session {id}.</p>;
  const title = session?.title || 'Untitled session';
  return (
    <section class="conversation" aria-labelledby="conversation-heading" aria-busy={session === undefined}>
      <header class="conversation-head">
        <a href="#/" class="back">← Sessions</a>
        <h2 id="conversation-heading" tabIndex={-1} ref={heading}>{session ? title : 'Loading…'}</h2>
        {session?.model && <p class="model">Model: {session.model}</p>}
        {session?.personaId && <p class="model persona">Persona: {session.persona ? session.persona.name : `${session.personaId} (no such user)`}</p>}
        {session && (
          <SessionActions
            id={id}
            title={title}
            messageCount={session.messageCount}
            settings={session}
            onSaved={(saved) => setSession((s) => (s ? { ...s, ...saved } : s))}
            onError={setError}
          />
        )}
      </header>
      {error && <p role="alert" class="error">{error}</p>}
      <div
        class="messages"
        ref={scroller}
        tabIndex={0}
        role="log"
        aria-label="Conversation"
        onScroll={(e) => {
          const el = e.currentTarget;
          keepBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          // Scrolled up near the oldest message shown: the page before it comes in by itself.
          if (el.scrollTop < 200 && !keepBottom.current) void loadOlder();
        }}
      >
        {older && (
          <button type="button" class="older" disabled={loadingOlder} onClick={() => void loadOlder()}>
            {loadingOlder ? 'Loading…' : 'Load older messages'}
          </button>
        )}
        {session?.systemPrompt && !older && (
          <div class="message role-system system-prompt">
            <p class="who">System prompt</p>
            <p class="content">{session.systemPrompt}</p>
          </div>
        )}
        <ol class="message-list">
          {messages.map((m) => (
            <MessageView key={m.seq} message={m} onEditAndRetry={m.role === 'USER' && !reply ? () => void editAndRetry(m) : undefined} />
          ))}
        </ol>
        {reply && (
          <div class="message role-assistant streaming" aria-busy="true" aria-label="Reply in progress">
            <p class="who">Assistant <span class="typing">writing…</span></p>
            <p class="content">{reply.text}</p>
          </div>
        )}
      </div>
      {session && (
        <Composer
          sessionId={id}
          runId={reply?.runId ?? null}
          canRegenerate={messages.at(-1)?.role === 'ASSISTANT'}
          onStarted={(runId) => {
            keepBottom.current = true;
            follow(runId, 0);
          }}
          onSent={(userMessage, runId) => {
            keepBottom.current = true;
            lastSeq.current = Math.max(lastSeq.current, userMessage.seq);
            setMessages((list) => merge(list, [userMessage]));
            follow(runId, 0);
          }}
          onError={setError}
        />
      )}
    </section>
  );
}

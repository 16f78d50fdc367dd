import { useRef, useState } from 'preact/hooks';
import { client } from './client.js';
import { newClientId } from './format.js';
import { takeDraft } from './drafts.js';
import { CancelRunMutation, SendMessageMutation, StartRunMutation } from './operations.js';
import type { ConsoleMessageFragment } from '../gql/graphql.js';

interface Props {
  sessionId: string;
  /** The run in progress, if any: sending waits for it, Stop cancels it. */
  runId: string | null;
  /** The last message is a reply: Regenerate may ask for another (startRun). */
  canRegenerate: boolean;
  onSent: (userMessage: ConsoleMessageFragment, runId: string) => void;
  onStarted: (runId: string) => void;
  onError: (message: string | null) => void;
}

/** Sends the user's message with sendMessage (Enter sends, Shift+Enter starts a new line); Stop cancels the reply. */
export function Composer({ sessionId, runId, canRegenerate, onSent, onStarted, onError }: Props) {
  const [text, setText] = useState(() => takeDraft(sessionId));
  const [busy, setBusy] = useState(false);
  const clientId = useRef(newClientId());

  async function send() {
    const content = text.trim();
    if (!content || busy || runId) return;
    setBusy(true);
    const result = await client.mutation(SendMessageMutation, { sessionId, content, clientId: clientId.current }).toPromise();
    setBusy(false);
    const sent = result.data?.sendMessage;
    if (sent && 'run' in sent) {
      clientId.current = newClientId();
      setText('');
      onError(null);
      onSent(sent.userMessage, sent.run.id);
    } else {
      onError(sent && 'message' in sent ? sent.message : (result.error?.message ?? 'The message could not be sent.'));
    }
  }

  async function regenerate() {
    if (busy || runId) return;
    setBusy(true);
    const result = await client.mutation(StartRunMutation, { sessionId, clientId: newClientId() }).toPromise();
    setBusy(false);
    const run = result.data?.startRun;
    if (run?.__typename === 'Run') {
      onError(null);
      onStarted(run.id);
    } else {
      onError(run && 'message' in run ? run.message : (result.error?.message ?? 'No new reply could be started.'));
    }
  }

  async function stop() {
    if (!runId) return;
    const result = await client.mutation(CancelRunMutation, { id: runId }).toPromise();
    const cancelled = result.data?.cancelRun;
    if (!cancelled || 'message' in cancelled) onError(cancelled?.message ?? result.error?.message ?? 'The reply could not be stopped.');
  }

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <div class="composer-label">
        <label for="composer-text">Message</label>
        <p id="composer-hint" class="hint">Enter sends, Shift+Enter starts a new line.</p>
      </div>
      <textarea
        id="composer-text"
        rows={2}
        value={text}
        placeholder="Write a message…"
        aria-describedby="composer-hint"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <div class="composer-actions">
        {runId ? (
          <button type="button" class="stop" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <>
            {canRegenerate && (
              <button type="button" class="secondary" disabled={busy} onClick={() => void regenerate()}>
                Regenerate
              </button>
            )}
            <button type="submit" disabled={busy || !text.trim()}>
              {busy ? 'Sending…' : 'Send'}
            </button>
          </>
        )}
      </div>
    </form>
  );
}

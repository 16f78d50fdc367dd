import { useState } from 'preact/hooks';
import { client } from './client.js';
import { ConfirmDialog } from './confirm.js';
import { DeleteSessionMutation } from './operations.js';

interface Props {
  id: string;
  title: string;
  messageCount: number;
  onError: (message: string | null) => void;
}

/** What can be done to the open session as a whole: delete it (after asking). */
export function SessionActions({ id, title, messageCount, onError }: Props) {
  const [confirming, setConfirming] = useState(false);

  async function remove() {
    const result = await client.mutation(DeleteSessionMutation, { id }).toPromise();
    const deleted = result.data?.deleteSession;
    setConfirming(false);
    if (deleted?.__typename === 'DeletedSession') location.hash = '#/';
    else onError(deleted && 'message' in deleted ? deleted.message : (result.error?.message ?? 'The session could not be deleted.'));
  }

  return (
    <div class="session-actions" role="group" aria-label="Session actions">
      <button type="button" class="secondary danger-text" onClick={() => setConfirming(true)}>
        Delete session
      </button>
      {confirming && (
        <ConfirmDialog title="Delete this session?" confirm="Delete" onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
          <p>
            “{title}” and its {messageCount} {messageCount === 1 ? 'message' : 'messages'} will be deleted for every client. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

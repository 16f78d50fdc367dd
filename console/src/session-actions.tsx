import { useState } from 'preact/hooks';
import { client } from './client.js';
import { ConfirmDialog } from './confirm.js';
import { downloadJson } from './download.js';
import { DeleteSessionMutation, ExportSessionQuery } from './operations.js';
import { SettingsDialog } from './settings.js';
import type { ConsoleSettingsFragment, ExchangeFormat } from '../gql/graphql.js';

const FORMATS: { format: ExchangeFormat; label: string; suffix: string }[] = [
  { format: 'PARLEY', label: 'Parley (lossless)', suffix: 'parley' },
  { format: 'SDK', label: 'SDK session file', suffix: 'sdk' },
  { format: 'CHAT_MESSAGES', label: 'Chat messages', suffix: 'chat' },
];

interface Props {
  id: string;
  title: string;
  messageCount: number;
  settings: ConsoleSettingsFragment;
  onSaved: (settings: ConsoleSettingsFragment) => void;
  onError: (message: string | null) => void;
}

/** What can be done to the open session as a whole: edit its settings, export it as a file, delete it (after asking). */
export function SessionActions({ id, title, messageCount, settings, onSaved, onError }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const [format, setFormat] = useState<ExchangeFormat>('PARLEY');

  async function exportAs() {
    const result = await client.query(ExportSessionQuery, { id, format }).toPromise();
    const exported = result.data?.exportSession;
    if (exported?.__typename !== 'ExportedSession') {
      return onError(exported?.message ?? result.error?.message ?? 'The session could not be exported.');
    }
    onError(null);
    downloadJson(`${id}.${FORMATS.find((f) => f.format === format)!.suffix}.json`, exported.document);
  }

  async function remove() {
    const result = await client.mutation(DeleteSessionMutation, { id }).toPromise();
    const deleted = result.data?.deleteSession;
    setConfirming(false);
    if (deleted?.__typename === 'DeletedSession') location.hash = '#/';
    else onError(deleted && 'message' in deleted ? deleted.message : (result.error?.message ?? 'The session could not be deleted.'));
  }

  return (
    <div class="session-actions" role="group" aria-label="Session actions">
      <button type="button" class="secondary" onClick={() => setEditing(true)}>
        Settings
      </button>
      <span class="export">
        <label for="export-format" class="visually-hidden">
          Export format
        </label>
        <select id="export-format" value={format} onChange={(e) => setFormat(e.currentTarget.value as ExchangeFormat)}>
          {FORMATS.map((f) => (
            <option key={f.format} value={f.format}>
              {f.label}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" onClick={() => void exportAs()}>
          Export
        </button>
      </span>
      <button type="button" class="secondary danger-text" onClick={() => setConfirming(true)}>
        Delete session
      </button>
      {editing && (
        <SettingsDialog
          settings={settings}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            onSaved(saved);
          }}
        />
      )}
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

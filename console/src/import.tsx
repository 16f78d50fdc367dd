import { useState } from 'preact/hooks';
import { client } from './client.js';
import { ImportSessionMutation } from './operations.js';
import { problemsOf, shownPath, type Problem } from './problems.js';

/** Reads a file as JSON and imports it with importSession; what is wrong with it is listed by path. */
export async function importFile(file: File): Promise<{ id: string; title: string | null } | Problem[]> {
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch (error) {
    return [{ path: [], message: `${file.name} is not JSON: ${(error as Error).message}` }];
  }
  const result = await client.mutation(ImportSessionMutation, { document }).toPromise();
  const imported = result.data?.importSession;
  if (imported?.__typename === 'Session') return imported;
  return problemsOf(imported, result.error?.message ?? 'The file could not be imported.');
}

export interface ImportState {
  file: string;
  problems: Problem[];
}

/** The file picker; dropping a file anywhere on the session list does the same (see SessionList). */
export function ImportControl({ state, onFile }: { state: ImportState | null; onFile: (file: File) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <div class="import">
      <label for="import-file">Import a session file (or drop one on the list)</label>
      <input
        id="import-file"
        type="file"
        accept=".json,application/json"
        disabled={busy}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (!file) return;
          setBusy(true);
          void onFile(file).finally(() => setBusy(false));
        }}
      />
      {state && state.problems.length > 0 && (
        <div role="alert" class="error import-problems">
          <p>
            {state.file} was not imported ({state.problems.length} {state.problems.length === 1 ? 'problem' : 'problems'}):
          </p>
          <ul>
            {state.problems.map((p, i) => (
              <li key={i}>
                {p.path.length > 0 && <code>{shownPath(p.path, 'document') || 'document'}</code>} {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

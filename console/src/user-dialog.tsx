import { useState } from 'preact/hooks';
import { client } from './client.js';
import { FormDialog } from './form-dialog.js';
import { UpsertUserMutation, UserExistsQuery } from './operations.js';
import { describedBy, ProblemList } from './problem-list.js';
import { problemsOf, shownPath, type Problem } from './problems.js';
import type { ConsoleUserFragment } from '../gql/graphql.js';

const FIELDS = [
  { field: 'id', label: 'Id' },
  { field: 'name', label: 'Name' },
  { field: 'profile', label: 'Profile', multiline: true },
  { field: 'metadata', label: 'Metadata (a JSON object)', multiline: true, json: true },
] as const;
type Field = (typeof FIELDS)[number]['field'];

const fieldOf = (p: Problem) => (p.path[0] === 'input' ? (p.path[1] ?? '') : '');

interface Props {
  /** The user to edit, or null to create one. */
  user: ConsoleUserFragment | null;
  onSaved: (user: ConsoleUserFragment) => void;
  onClose: () => void;
}

/**
 * upsertUser: a new user profile (under the id given, or a new UUID), or the one being edited with
 * its name, profile and metadata replaced (its vector kept). Each problem is shown at its field.
 */
export function UserDialog({ user, onSaved, onClose }: Props) {
  const [values, setValues] = useState<Record<Field, string>>({
    id: user?.id ?? '',
    name: user?.name ?? '',
    profile: user?.profile ?? '',
    metadata: JSON.stringify(user?.metadata ?? {}, null, 2),
  });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);

  async function save() {
    let metadata: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(values.metadata || '{}');
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it is not an object');
      metadata = value as Record<string, unknown>;
    } catch (error) {
      return setProblems([{ path: ['input', 'metadata'], message: `Not a JSON object: ${(error as Error).message}` }]);
    }
    const id = values.id.trim() || null;
    setSaving(true);
    // upsertUser replaces a user that has the id: a new one must not overwrite it unnoticed.
    if (!user && id) {
      const existing = await client.query(UserExistsQuery, { id }).toPromise();
      if (existing.data?.user) {
        setSaving(false);
        return setProblems([{ path: ['input', 'id'], message: 'A user has this id already: edit that one instead, or choose another id.' }]);
      }
    }
    const input = { id: user?.id ?? id, name: values.name.trim(), profile: values.profile.trim() ? values.profile : null, metadata, vector: user?.vector ?? null };
    const result = await client.mutation(UpsertUserMutation, { input }).toPromise();
    setSaving(false);
    const saved = result.data?.upsertUser;
    if (saved?.__typename === 'UpsertUserPayload') return onSaved(saved.user);
    setProblems(problemsOf(saved, result.error?.message ?? 'The user could not be saved.'));
  }

  const at = (field: Field) => problems.filter((p) => fieldOf(p) === field);
  const general = problems.filter((p) => !FIELDS.some((f) => f.field === fieldOf(p)));
  const problemsId = (field: Field) => `user-${field}-problems`;
  const set = (field: Field) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setValues((v) => ({ ...v, [field]: e.currentTarget.value }));
  const heading = user ? `Edit ${user.name}` : 'New user';

  return (
    <FormDialog id="user" class="settings" title={heading} submit={user ? 'Save' : 'Create'} sending={saving ? 'Saving…' : null} onSubmit={() => void save()} onClose={onClose}>
      {problems.length > 0 && (
        <div class="error" role="alert">
          <p>Nothing was saved{general.length ? ':' : `: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}, shown below.`}</p>
          {general.length > 0 && (
            <ul class="problems">
              {general.map((p) => (
                <li key={p.path.join('.') + p.message}>{p.path.length ? `${shownPath(p.path, 'input')}: ${p.message}` : p.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {FIELDS.map((f) => {
        const attributes = { id: `user-${f.field}`, value: values[f.field], onInput: set(f.field), ...describedBy(problemsId(f.field), at(f.field)) };
        const hint = f.field === 'id' && (user ? 'An edit keeps the id.' : 'Left empty, the user gets a new UUID.');
        return (
          <div class="field" key={f.field}>
            <label for={`user-${f.field}`}>{f.label}</label>
            {hint && <p class="hint" id={`user-${f.field}-hint`}>{hint}</p>}
            {'multiline' in f ? (
              <textarea rows={4} class={'json' in f ? 'json' : undefined} {...attributes} />
            ) : (
              <input {...attributes} readOnly={f.field === 'id' && !!user} aria-describedby={[hint && `user-${f.field}-hint`, at(f.field).length && problemsId(f.field)].filter(Boolean).join(' ') || undefined} />
            )}
            <ProblemList id={problemsId(f.field)} problems={at(f.field)} depth={2} />
          </div>
        );
      })}
    </FormDialog>
  );
}

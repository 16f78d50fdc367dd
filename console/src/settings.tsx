import { useState } from 'preact/hooks';
import { client } from './client.js';
import { FormDialog } from './form-dialog.js';
import { UpdateSessionMutation } from './operations.js';
import { PersonaSelect } from './personas.js';
import { describedBy, ProblemList } from './problem-list.js';
import { problemsOf, shownPath, type Problem } from './problems.js';
import type { ConsoleSettingsFragment } from '../gql/graphql.js';

type Field = 'title' | 'model' | 'systemPrompt' | 'personaId' | 'metadata' | 'context';
const TEXT_FIELDS: { field: Field; label: string; multiline?: boolean }[] = [
  { field: 'title', label: 'Title' },
  { field: 'model', label: 'Model' },
  { field: 'systemPrompt', label: 'System prompt', multiline: true },
  { field: 'personaId', label: 'Persona (a user profile)' },
];
const JSON_FIELDS: { field: 'metadata' | 'context'; label: string }[] = [
  { field: 'metadata', label: 'Metadata (a JSON object)' },
  { field: 'context', label: 'Context (a JSON object)' },
];

interface Props {
  settings: ConsoleSettingsFragment;
  onSaved: (settings: ConsoleSettingsFragment) => void;
  onClose: () => void;
}

const fieldOf = (p: Problem): string => (p.path[0] === 'input' ? (p.path[1] ?? '') : '');

/**
 * The session's settings, as updateSession takes them (metadata and context replaced whole, at the
 * version read), with each problem the server reports shown at its field and path.
 */
export function SettingsDialog({ settings, onSaved, onClose }: Props) {
  const [values, setValues] = useState<Record<Field, string>>({
    title: settings.title ?? '',
    model: settings.model ?? '',
    systemPrompt: settings.systemPrompt ?? '',
    personaId: settings.personaId ?? '',
    metadata: JSON.stringify(settings.metadata, null, 2),
    context: JSON.stringify(settings.context, null, 2),
  });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saving, setSaving] = useState(false);

  async function save() {
    const local: Problem[] = [];
    const objects: Partial<Record<'metadata' | 'context', Record<string, unknown>>> = {};
    for (const { field } of JSON_FIELDS) {
      try {
        const value: unknown = JSON.parse(values[field] || '{}');
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('it is not an object');
        objects[field] = value as Record<string, unknown>;
      } catch (error) {
        local.push({ path: ['input', field], message: `Not a JSON object: ${(error as Error).message}` });
      }
    }
    if (local.length) return setProblems(local);
    setSaving(true);
    const text = (field: Field) => values[field].trim() || null;
    const input = {
      title: text('title'),
      model: text('model'),
      systemPrompt: values.systemPrompt.trim() ? values.systemPrompt : null,
      personaId: text('personaId'),
      metadata: objects.metadata!,
      context: objects.context!,
      mode: 'REPLACE' as const,
      expectedVersion: settings.version,
    };
    const result = await client.mutation(UpdateSessionMutation, { id: settings.id, input }).toPromise();
    setSaving(false);
    const updated = result.data?.updateSession;
    if (updated?.__typename === 'Session') return onSaved(updated);
    setProblems(problemsOf(updated, result.error?.message ?? 'The settings could not be saved.'));
  }

  const at = (field: string) => problems.filter((p) => fieldOf(p) === field);
  const general = problems.filter((p) => !TEXT_FIELDS.some((f) => f.field === fieldOf(p)) && !JSON_FIELDS.some((f) => f.field === fieldOf(p)));
  const problemsId = (field: Field) => `settings-${field}-problems`;
  const set = (field: Field) => (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) => setValues((v) => ({ ...v, [field]: e.currentTarget.value }));

  return (
    <FormDialog id="settings" class="settings" title="Session settings" submit="Save" sending={saving ? 'Saving…' : null} onSubmit={() => void save()} onClose={onClose}>
      {general.length > 0 && (
        <ul class="problems error" role="alert">
          {general.map((p) => (
            <li key={p.path.join('.')}>{p.path.length ? `${shownPath(p.path, 'input')}: ${p.message}` : p.message}</li>
          ))}
        </ul>
      )}
      {[...TEXT_FIELDS, ...JSON_FIELDS.map((f) => ({ ...f, multiline: true, json: true }))].map(({ field, label, multiline, ...rest }) => (
        <div class="field" key={field}>
          <label for={`settings-${field}`}>{label}</label>
          {field === 'personaId' ? (
            <PersonaSelect
              id="settings-personaId"
              value={values.personaId}
              onChange={(personaId) => setValues((v) => ({ ...v, personaId }))}
              invalid={at(field).length > 0}
              describedBy={at(field).length ? problemsId(field) : undefined}
            />
          ) : multiline ? (
            <textarea id={`settings-${field}`} rows={'json' in rest ? 5 : 3} class={'json' in rest ? 'json' : undefined} value={values[field]} onInput={set(field)} {...describedBy(problemsId(field), at(field))} />
          ) : (
            <input id={`settings-${field}`} value={values[field]} onInput={set(field)} {...describedBy(problemsId(field), at(field))} />
          )}
          <ProblemList id={problemsId(field)} problems={at(field)} depth={2} />
        </div>
      ))}
      {problems.length > 0 && <p class="visually-hidden" role="alert">{`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}: nothing was saved.`}</p>}
    </FormDialog>
  );
}

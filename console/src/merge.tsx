import { useLayoutEffect, useState } from 'preact/hooks';
import { client } from './client.js';
import { FormDialog } from './form-dialog.js';
import { MergeSessionsMutation } from './operations.js';
import { describedBy, ProblemList } from './problem-list.js';
import { problemsOf, type Problem } from './problems.js';
import type { ConsoleMergeSessionsMutation, MergeOrder, SessionRowFragment } from '../gql/graphql.js';

const ORDERS: { order: MergeOrder; label: string; hint: string }[] = [
  { order: 'CONCATENATE', label: 'One session after the other', hint: 'All messages of the first session, then all of the second, and so on, in the order above.' },
  { order: 'CHRONOLOGICAL', label: 'By time', hint: 'All messages interleaved by when they were written; messages of the same moment keep the order above.' },
];
const FIELDS = ['ids', 'title', 'ownerId', 'newId'] as const;
type Field = (typeof FIELDS)[number];

const untitled = (s: SessionRowFragment) => s.title || 'Untitled session';

/** What the server said against the merge, each problem at the argument it is about. */
function refusal(result: ConsoleMergeSessionsMutation['mergeSessions'] | undefined, sources: SessionRowFragment[], fallback: string): Problem[] {
  if (result?.__typename === 'NotFoundError') {
    const source = sources.find((s) => s.id === result.entityId);
    const name = source ? `“${untitled(source)}”` : `Session ${result.entityId}`;
    return [{ path: ['ids'], message: `${name} is not there any more (deleted, or not yours to see).` }];
  }
  if (result?.__typename === 'ConflictError' && result.reason === 'ID_TAKEN') return [{ path: ['newId'], message: result.message }];
  return problemsOf(result, fallback);
}

interface Props {
  sources: SessionRowFragment[];
  onMerged: (id: string) => void;
  onClose: () => void;
}

/**
 * mergeSessions for the selected sessions: their order, the title, how the messages are ordered,
 * and, for an admin, the owner and id of the new session. The sources stay as they are.
 */
export function MergeDialog({ sources: selected, onMerged, onClose }: Props) {
  const [sources, setSources] = useState(selected);
  const [title, setTitle] = useState(`${untitled(selected[0]!)} (merged)`);
  const [order, setOrder] = useState<MergeOrder>('CONCATENATE');
  const [ownerId, setOwnerId] = useState('');
  const [newId, setNewId] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [merging, setMerging] = useState(false);
  /** The session last moved, and which way: its button keeps the focus (the other one once at an end). */
  const [moved, setMoved] = useState<{ id: string; by: -1 | 1 } | null>(null);
  useLayoutEffect(() => {
    if (!moved) return;
    const button = (by: -1 | 1) => document.getElementById(`merge-${by === -1 ? 'up' : 'down'}-${moved.id}`) as HTMLButtonElement | null;
    const same = button(moved.by);
    (same && !same.disabled ? same : button(moved.by === 1 ? -1 : 1))?.focus();
  }, [moved]);

  async function merge() {
    setMerging(true);
    const text = (value: string) => value.trim() || null;
    const variables = { ids: sources.map((s) => s.id), order, title: text(title), ownerId: text(ownerId), newId: text(newId) };
    const result = await client.mutation(MergeSessionsMutation, variables).toPromise();
    setMerging(false);
    const merged = result.data?.mergeSessions;
    if (merged?.__typename === 'Session') return onMerged(merged.id);
    setProblems(refusal(merged, sources, result.error?.message ?? 'The sessions could not be merged.'));
  }

  function move(index: number, by: -1 | 1) {
    setMoved({ id: sources[index]!.id, by });
    setSources((list) => {
      const next = [...list];
      [next[index], next[index + by]] = [next[index + by]!, next[index]!];
      return next;
    });
  }

  const at = (field: Field) => problems.filter((p) => p.path[0] === field);
  const general = problems.filter((p) => !FIELDS.includes(p.path[0] as Field));
  const problemsId = (field: Field) => `merge-${field}-problems`;

  return (
    <FormDialog id="merge" class="settings merge" title={`Merge ${sources.length} sessions`} submit="Merge" sending={merging ? 'Merging…' : null} onSubmit={() => void merge()} onClose={onClose}>
      <p class="hint">A new session gets the messages of all of them; they stay as they are.</p>
      {problems.length > 0 && (
        <div class="error" role="alert">
          <p>Nothing was merged{general.length ? ':' : `: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}, shown below.`}</p>
          {general.length > 0 && (
            <ul class="problems">
              {general.map((p) => (
                <li key={p.path.join('.') + p.message}>{p.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <fieldset class="sources" aria-describedby={at('ids').length ? problemsId('ids') : undefined}>
        <legend>Sessions, in this order</legend>
        <ol>
          {sources.map((s, i) => (
            <li key={s.id}>
              <div class="source">
                <span class="source-title">{untitled(s)}</span>
                <span class="meta">
                  {s.messageCount} {s.messageCount === 1 ? 'message' : 'messages'}
                </span>
                <span class="move">
                  <button type="button" id={`merge-up-${s.id}`} class="secondary small" disabled={i === 0} aria-label={`Move ${untitled(s)} up`} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button type="button" id={`merge-down-${s.id}`} class="secondary small" disabled={i === sources.length - 1} aria-label={`Move ${untitled(s)} down`} onClick={() => move(i, 1)}>
                    ↓
                  </button>
                </span>
              </div>
            </li>
          ))}
        </ol>
        <ProblemList id={problemsId('ids')} problems={at('ids')} depth={1} />
      </fieldset>
      <div class="field">
        <label for="merge-title">Title of the new session</label>
        <input id="merge-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} {...describedBy(problemsId('title'), at('title'))} />
        <ProblemList id={problemsId('title')} problems={at('title')} depth={1} />
      </div>
      <fieldset class="order">
        <legend>Order of the messages</legend>
        {ORDERS.map((o) => (
          <div class="choice" key={o.order}>
            <input type="radio" id={`merge-order-${o.order}`} name="merge-order" value={o.order} checked={order === o.order} onChange={() => setOrder(o.order)} aria-describedby={`merge-order-${o.order}-hint`} />
            <label for={`merge-order-${o.order}`}>{o.label}</label>
            <p id={`merge-order-${o.order}-hint`} class="hint">
              {o.hint}
            </p>
          </div>
        ))}
      </fieldset>
      <details class="more-options" open={at('ownerId').length + at('newId').length > 0}>
        <summary>Owner and id (admins)</summary>
        <div class="field">
          <label for="merge-ownerId">Owner id (the first session’s owner when empty)</label>
          <input id="merge-ownerId" value={ownerId} onInput={(e) => setOwnerId(e.currentTarget.value)} {...describedBy(problemsId('ownerId'), at('ownerId'))} />
          <ProblemList id={problemsId('ownerId')} problems={at('ownerId')} depth={1} />
        </div>
        <div class="field">
          <label for="merge-newId">Id of the new session (a random UUID when empty)</label>
          <input id="merge-newId" value={newId} onInput={(e) => setNewId(e.currentTarget.value)} {...describedBy(problemsId('newId'), at('newId'))} />
          <ProblemList id={problemsId('newId')} problems={at('newId')} depth={1} />
        </div>
      </details>
    </FormDialog>
  );
}

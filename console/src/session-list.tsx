import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { client } from './client.js';
import { applyForm, EMPTY_FORM, matches, MoreFilters, type Applied, type FilterForm } from './filters.js';
import { shortTime } from './format.js';
import { ImportControl, importFile, type ImportState } from './import.js';
import { useLive } from './live.js';
import { MergeDialog } from './merge.js';
import { SessionEventsSubscription, SessionsQuery } from './operations.js';
import type { SessionRowFragment } from '../gql/graphql.js';

const PAGE = 20;

interface Page {
  rows: SessionRowFragment[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

const isDefaultOrder = (a: Applied) => a.orderBy.field === 'UPDATED_AT' && a.orderBy.direction === 'DESC';
const filtered = (a: Applied) => Object.keys(a.filter).length > 0;

/**
 * The sessions, filtered as `sessions` allows (title, owner, metadata, dates), in the order chosen,
 * paged by cursor, and kept current by sessionEvents.
 */
export function SessionList({ selected }: { selected: string | null }) {
  const [form, setForm] = useState<FilterForm>(EMPTY_FORM);
  const [applied, setApplied] = useState<Applied>(() => applyForm(EMPTY_FORM) as Applied);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [imported, setImported] = useState<ImportState | null>(null);
  const [dropping, setDropping] = useState(false);
  /** The sessions chosen for a merge, in the order they were chosen (kept while the filters change). */
  const [chosen, setChosen] = useState<SessionRowFragment[]>([]);
  const [merging, setMerging] = useState(false);
  // Only the latest read counts: an answer for a filter typed over meanwhile is dropped.
  const reads = useRef(0);
  const refetch = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const shown = useRef(0);
  shown.current = page?.rows.length ?? 0;
  const formed = useMemo(() => applyForm(form), [form]);
  const problem = 'problem' in formed ? formed.problem : null;
  const key = JSON.stringify(applied);

  async function importOne(file: File) {
    const result = await importFile(file);
    if (Array.isArray(result)) return void setImported({ file: file.name, problems: result });
    setImported(null);
    location.hash = `#/sessions/${encodeURIComponent(result.id)}`;
  }

  const load = useCallback(async (args: Applied, after: string | null, first = PAGE) => {
    const read = ++reads.current;
    setLoading(true);
    const result = await client.query(SessionsQuery, { first, after, filter: args.filter, orderBy: args.orderBy }).toPromise();
    if (read !== reads.current) return;
    setLoading(false);
    const sessions = result.data?.sessions;
    if (!sessions || !('edges' in sessions)) {
      setError(result.error?.message ?? (sessions && 'message' in sessions ? sessions.message : 'The sessions could not be read.'));
      return;
    }
    setError(null);
    const rows = sessions.edges.map((e) => e.node);
    // The selection takes what was read too: a change whose event it missed (one made while the
    // subscription was started again for a new filter, say) is shown in the merge dialog as well.
    setChosen((list) => list.map((r) => rows.find((n) => n.id === r.id) ?? r));
    setPage((old) => ({
      rows: after && old ? [...old.rows, ...rows.filter((r) => !old.rows.some((o) => o.id === r.id))] : rows,
      totalCount: sessions.totalCount,
      endCursor: sessions.pageInfo.endCursor ?? null,
      hasNextPage: sessions.pageInfo.hasNextPage,
    }));
  }, []);

  useEffect(() => {
    if ('problem' in formed) return;
    const timer = setTimeout(() => setApplied((old) => (JSON.stringify(old) === JSON.stringify(formed) ? old : formed)), 250);
    return () => clearTimeout(timer);
  }, [formed]);
  useEffect(() => void load(applied, null), [key]);
  useEffect(() => () => clearTimeout(refetch.current), []);

  /** Reads the rows shown again, once events stop coming for a moment. */
  const reread = () => {
    clearTimeout(refetch.current);
    refetch.current = setTimeout(() => void load(applied, null, Math.max(PAGE, shown.current)), 200);
  };

  useLive(
    SessionEventsSubscription,
    key,
    // The RESYNC first reads the list again once changes flow: one made while the subscription
    // was starting, after the read of the new filter, is not missed.
    () => ({ resyncFirst: true }),
    ({ sessionEvents: event }) => {
      if (event.type === 'RESYNC') return void load(applied, null);
      // The selection follows too: a deleted session leaves it, a renamed one is shown renamed.
      if (event.type === 'DELETED') setChosen((list) => list.filter((r) => r.id !== event.sessionId));
      const changed = event.session;
      if (event.type === 'UPDATED' && changed) setChosen((list) => list.map((r) => (r.id === changed.id ? changed : r)));
      // In another order a change can put a session anywhere: the server says where.
      if (!isDefaultOrder(applied)) return reread();
      setPage((old) => {
        if (!old || !event.sessionId) return old;
        const had = old.rows.some((r) => r.id === event.sessionId);
        const rest = old.rows.filter((r) => r.id !== event.sessionId);
        const belongs = !!event.session && matches(event.session, applied.filter);
        const keep = event.type !== 'DELETED' && belongs;
        const rows = keep && event.session ? [event.session, ...rest] : rest;
        // A session beyond the loaded pages is counted already: an update only moves it up.
        const delta =
          event.type === 'CREATED' ? (keep ? 1 : 0)
          : event.type === 'UPDATED' ? (had && !keep ? -1 : 0)
          : had || belongs ? -1 : 0;
        return { ...old, rows, totalCount: Math.max(rows.length, old.totalCount + delta) };
      });
    },
    () => void load(applied, null),
  );

  return (
    <section
      class={dropping ? 'sessions dropping' : 'sessions'}
      aria-labelledby="sessions-heading"
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDropping(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDropping(false);
      }}
      onDrop={(e) => {
        const file = e.dataTransfer?.files[0];
        if (!file) return;
        e.preventDefault();
        setDropping(false);
        void importOne(file);
      }}
    >
      <div class="sessions-head">
        <h2 id="sessions-heading">Sessions</h2>
        <p class="count" aria-live="polite">
          {page ? `${page.rows.length} of ${page.totalCount}` : ''}
        </p>
      </div>
      <div class="filter">
        <label for="filter-title">Filter by title</label>
        <input id="filter-title" type="search" value={form.title} onInput={(e) => setForm({ ...form, title: e.currentTarget.value })} placeholder="Title contains…" />
      </div>
      <MoreFilters form={form} problem={problem} onChange={setForm} />
      {error && <p role="alert" class="error">{error}</p>}
      <div class="selection" role="group" aria-label="Selected sessions">
        <p class="selected-count" aria-live="polite">
          {chosen.length ? `${chosen.length} selected` : 'Select sessions to merge them'}
        </p>
        {chosen.length > 0 && (
          <button type="button" class="secondary small" onClick={() => setChosen([])}>
            Clear selection
          </button>
        )}
        <button type="button" class="small" disabled={chosen.length < 2} onClick={() => setMerging(true)}>
          Merge…
        </button>
      </div>
      <ul class="session-rows" aria-label="Sessions">
        {page?.rows.map((row) => (
          <li key={row.id} class="session-item">
            <a href={`#/sessions/${encodeURIComponent(row.id)}`} aria-current={row.id === selected ? 'page' : undefined} class="session-row">
              <span class="title">{row.title || 'Untitled session'}</span>
              {row.preview && <span class="preview">{row.preview}</span>}
              <span class="meta">
                {row.messageCount} {row.messageCount === 1 ? 'message' : 'messages'} · <time dateTime={row.updatedAt}>{shortTime(row.updatedAt)}</time>
                {row.ownerId && ` · ${row.ownerId}`}
              </span>
            </a>
            <input
              type="checkbox"
              class="select"
              aria-label={`Select ${row.title || 'Untitled session'}`}
              checked={chosen.some((r) => r.id === row.id)}
              onChange={(e) => {
                const on = e.currentTarget.checked;
                setChosen((list) => (on ? [...list.filter((r) => r.id !== row.id), row] : list.filter((r) => r.id !== row.id)));
              }}
            />
          </li>
        ))}
      </ul>
      {page && page.rows.length === 0 && <p class="empty">{filtered(applied) ? 'No session matches these filters.' : 'No sessions yet.'}</p>}
      {page?.hasNextPage && (
        <button type="button" disabled={loading} onClick={() => void load(applied, page.endCursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
      <ImportControl state={imported} onFile={importOne} />
      {merging && (
        <MergeDialog
          sources={chosen}
          onClose={() => setMerging(false)}
          onMerged={(id) => {
            setMerging(false);
            setChosen([]);
            location.hash = `#/sessions/${encodeURIComponent(id)}`;
          }}
        />
      )}
    </section>
  );
}

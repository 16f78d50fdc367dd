import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { client } from './client.js';
import { shortTime } from './format.js';
import { ImportControl, importFile, type ImportState } from './import.js';
import { useLive } from './live.js';
import { SessionEventsSubscription, SessionsQuery } from './operations.js';
import type { SessionRowFragment } from '../gql/graphql.js';

const PAGE = 20;

interface Page {
  rows: SessionRowFragment[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

const matches = (row: SessionRowFragment, text: string) => !text || (row.title ?? '').toLowerCase().includes(text.toLowerCase());

/** The sessions, newest change first, filtered by title, paged by cursor, and kept current by sessionEvents. */
export function SessionList({ selected }: { selected: string | null }) {
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [imported, setImported] = useState<ImportState | null>(null);
  const [dropping, setDropping] = useState(false);

  async function importOne(file: File) {
    const result = await importFile(file);
    if (Array.isArray(result)) return void setImported({ file: file.name, problems: result });
    setImported(null);
    location.hash = `#/sessions/${encodeURIComponent(result.id)}`;
  }
  // Only the latest read counts: an answer for a filter typed over meanwhile is dropped.
  const reads = useRef(0);

  const load = useCallback(async (text: string, after: string | null) => {
    const read = ++reads.current;
    setLoading(true);
    const variables = { first: PAGE, after, filter: text ? { titleContains: text } : null };
    const result = await client.query(SessionsQuery, variables).toPromise();
    if (read !== reads.current) return;
    setLoading(false);
    const sessions = result.data?.sessions;
    if (!sessions || !('edges' in sessions)) {
      setError(result.error?.message ?? (sessions && 'message' in sessions ? sessions.message : 'The sessions could not be read.'));
      return;
    }
    setError(null);
    const rows = sessions.edges.map((e) => e.node);
    setPage((old) => ({
      rows: after && old ? [...old.rows, ...rows.filter((r) => !old.rows.some((o) => o.id === r.id))] : rows,
      totalCount: sessions.totalCount,
      endCursor: sessions.pageInfo.endCursor ?? null,
      hasNextPage: sessions.pageInfo.hasNextPage,
    }));
  }, []);

  useEffect(() => {
    const timer = setTimeout(() => setApplied(filter.trim()), 250);
    return () => clearTimeout(timer);
  }, [filter]);
  useEffect(() => void load(applied, null), [applied]);

  useLive(
    SessionEventsSubscription,
    applied,
    () => ({}),
    ({ sessionEvents: event }) => {
      if (event.type === 'RESYNC') return void load(applied, null);
      setPage((old) => {
        if (!old || !event.sessionId) return old;
        const had = old.rows.some((r) => r.id === event.sessionId);
        const rest = old.rows.filter((r) => r.id !== event.sessionId);
        const keep = event.type !== 'DELETED' && event.session && matches(event.session, applied);
        const rows = keep && event.session ? [event.session, ...rest] : rest;
        // A session beyond the loaded pages is counted already: an update only moves it up.
        const delta =
          event.type === 'CREATED' ? (keep ? 1 : 0)
          : event.type === 'UPDATED' ? (had && !keep ? -1 : 0)
          : had || (event.session && matches(event.session, applied)) ? -1 : 0;
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
      <label class="filter">
        <span>Filter by title</span>
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="Title contains…" />
      </label>
      <ImportControl state={imported} onFile={importOne} />
      {error && <p role="alert" class="error">{error}</p>}
      <ul class="session-rows" aria-label="Sessions">
        {page?.rows.map((row) => (
          <li key={row.id}>
            <a href={`#/sessions/${encodeURIComponent(row.id)}`} aria-current={row.id === selected ? 'page' : undefined} class="session-row">
              <span class="title">{row.title || 'Untitled session'}</span>
              {row.preview && <span class="preview">{row.preview}</span>}
              <span class="meta">
                {row.messageCount} {row.messageCount === 1 ? 'message' : 'messages'} · <time dateTime={row.updatedAt}>{shortTime(row.updatedAt)}</time>
              </span>
            </a>
          </li>
        ))}
      </ul>
      {page && page.rows.length === 0 && <p class="empty">{applied ? 'No session has such a title.' : 'No sessions yet.'}</p>}
      {page?.hasNextPage && (
        <button type="button" disabled={loading} onClick={() => void load(applied, page.endCursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}

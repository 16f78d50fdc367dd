import { useEffect, useRef, useState } from 'preact/hooks';
import { client } from './client.js';
import { ConfirmDialog } from './confirm.js';
import { shortTime } from './format.js';
import { useLive } from './live.js';
import { DeleteUserMutation, SessionEventsSubscription, UsersQuery } from './operations.js';
import { problemsOf } from './problems.js';
import { UserDialog } from './user-dialog.js';
import type { ConsoleUserFragment } from '../gql/graphql.js';

const PAGE = 20;

interface Page {
  users: ConsoleUserFragment[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

const sessionsOf = (n: number) => `${n} ${n === 1 ? 'session' : 'sessions'}`;

/**
 * The user profiles the caller may see (`users`, by id, paged by cursor), each created or edited
 * with upsertUser and deleted, with its sessions, by deleteUser after asking. Their session counts
 * follow sessionEvents.
 */
export function Users() {
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  /** The user being edited, 'new' for a new one. */
  const [editing, setEditing] = useState<ConsoleUserFragment | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ConsoleUserFragment | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Users deleted here: the row and the button that had the focus are gone, so the view takes it. */
  const [deletedOne, setDeletedOne] = useState(0);
  useEffect(() => {
    if (deletedOne > 0) heading.current?.focus();
  }, [deletedOne]);
  const shown = useRef(0);
  shown.current = page?.users.length ?? 0;
  // Only the latest read counts (a read again after RESYNC may cross "Load more").
  const reads = useRef(0);

  async function load(after: string | null, first = PAGE) {
    const read = ++reads.current;
    setLoading(true);
    const result = await client.query(UsersQuery, { first, after }).toPromise();
    if (read !== reads.current) return;
    setLoading(false);
    const users = result.data?.users;
    if (users?.__typename !== 'UserConnection') {
      const problems = problemsOf(users, result.error?.message ?? 'the server gave no answer');
      return setError(`The users could not be read: ${problems.map((p) => p.message).join('; ')}`);
    }
    setError(null);
    const more = users.edges.map((e) => e.node);
    setPage((old) => ({
      users: after && old ? [...old.users, ...more.filter((u) => !old.users.some((o) => o.id === u.id))] : more,
      totalCount: users.totalCount,
      endCursor: users.pageInfo.endCursor ?? null,
      hasNextPage: users.pageInfo.hasNextPage,
    }));
  }

  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    void load(null);
  }, []);

  /** The users shown, read again (after events may have been lost). */
  const reread = () => void load(null, Math.min(100, Math.max(PAGE, shown.current)));
  useLive(
    SessionEventsSubscription,
    'users',
    // A RESYNC first: the counts are read again once changes flow, so none made meanwhile is missed.
    () => ({ resyncFirst: true }),
    ({ sessionEvents: event }) => {
      if (event.type === 'RESYNC') return reread();
      const owner = event.session?.ownerId;
      const by = event.type === 'CREATED' ? 1 : event.type === 'DELETED' ? -1 : 0;
      if (!owner || by === 0) return;
      setPage((old) => old && { ...old, users: old.users.map((u) => (u.id === owner ? { ...u, sessions: { totalCount: Math.max(0, u.sessions.totalCount + by) } } : u)) });
    },
    reread,
  );

  async function remove(user: ConsoleUserFragment) {
    const result = await client.mutation(DeleteUserMutation, { id: user.id }).toPromise();
    setDeleting(null);
    const deleted = result.data?.deleteUser;
    if (deleted?.__typename !== 'DeleteUserPayload') {
      return setError(deleted && 'message' in deleted ? deleted.message : (result.error?.message ?? 'The user could not be deleted.'));
    }
    setError(null);
    setNotice(`${user.name} was deleted, with ${sessionsOf(deleted.deletedSessionCount)}.`);
    setDeletedOne((n) => n + 1);
    setPage((old) => old && { ...old, users: old.users.filter((u) => u.id !== user.id), totalCount: old.totalCount - 1 });
  }

  return (
    <section class="users" aria-labelledby="users-heading">
      <div class="users-head">
        <h2 id="users-heading" tabIndex={-1} ref={heading}>
          Users
        </h2>
        <p class="count" aria-live="polite">
          {page ? `${page.users.length} of ${page.totalCount}` : ''}
        </p>
        <button type="button" onClick={() => setEditing('new')}>
          New user
        </button>
      </div>
      <p class="hint">User profiles: the people sessions belong to (their owner id), and the personas a session’s replies can be personalised with.</p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p role="status" class="notice">
        {notice}
      </p>
      <ul class="user-rows" aria-label="Users">
        {page?.users.map((user) => (
          <li key={user.id} class="user-row">
            <h3>{user.name}</h3>
            <p class="meta">
              <code>{user.id}</code> · {sessionsOf(user.sessions.totalCount)} · changed <time dateTime={user.updatedAt}>{shortTime(user.updatedAt)}</time>
            </p>
            {user.profile ? <p class="profile">{user.profile}</p> : <p class="profile empty">No profile text.</p>}
            {Object.keys(user.metadata).length > 0 && (
              <details class="metadata">
                <summary>Metadata</summary>
                <pre>{JSON.stringify(user.metadata, null, 2)}</pre>
              </details>
            )}
            <div class="user-actions">
              <button type="button" class="secondary small" aria-label={`Edit ${user.name}`} onClick={() => setEditing(user)}>
                Edit
              </button>
              <button type="button" class="secondary small danger-text" aria-label={`Delete ${user.name}`} onClick={() => setDeleting(user)}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      {page && page.users.length === 0 && <p class="empty">No user profiles you may see.</p>}
      {page?.hasNextPage && (
        <button type="button" disabled={loading} onClick={() => void load(page.endCursor)}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
      {editing && (
        <UserDialog
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(`${saved.name} was saved.`);
            // Users are listed by id: a new one takes its place among those shown.
            if (editing === 'new') void load(null, Math.min(100, Math.max(PAGE, shown.current + 1)));
            else setPage((old) => old && { ...old, users: old.users.map((u) => (u.id === saved.id ? saved : u)) });
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog title="Delete this user?" confirm="Delete user and sessions" onConfirm={() => void remove(deleting)} onCancel={() => setDeleting(null)}>
          <p>
            “{deleting.name}” (<code>{deleting.id}</code>) will be deleted for every client, and with it every session it owns ({sessionsOf(deleting.sessions.totalCount)} now). This cannot
            be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

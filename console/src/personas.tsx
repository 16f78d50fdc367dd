import { useEffect, useState } from 'preact/hooks';
import { client } from './client.js';
import { PersonasQuery } from './operations.js';

/** At most this many pages of 100 users are offered as personas. */
const PAGES = 5;

interface Personas {
  users: { id: string; name: string }[];
  /** There are more users than are offered. */
  more: boolean;
  loading: boolean;
  error: string | null;
}

const read = (after: string | null) => client.query(PersonasQuery, { after }).toPromise();

/** The users the caller may read, by id, to pick a persona from. */
export function usePersonas(): Personas {
  const [state, setState] = useState<Personas>({ users: [], more: false, loading: true, error: null });
  useEffect(() => {
    let live = true;
    void (async () => {
      const users: Personas['users'] = [];
      let after: string | null = null;
      for (let page = 0; page < PAGES; page++) {
        const result: Awaited<ReturnType<typeof read>> = await read(after);
        const connection = result.data?.users;
        if (connection?.__typename !== 'UserConnection') {
          const message = connection && 'message' in connection ? connection.message : (result.error?.message ?? 'the users could not be read');
          if (live) setState({ users, more: false, loading: false, error: message });
          return;
        }
        users.push(...connection.edges.map((e) => e.node));
        after = connection.pageInfo.endCursor ?? null;
        if (!connection.pageInfo.hasNextPage) break;
        if (page === PAGES - 1 && live) return setState({ users, more: true, loading: false, error: null });
      }
      if (live) setState({ users, more: false, loading: false, error: null });
    })();
    return () => {
      live = false;
    };
  }, []);
  return state;
}

interface Props {
  id: string;
  value: string;
  onChange: (value: string) => void;
  describedBy: string | undefined;
  invalid: boolean;
}

/** A choice of persona: none, one of the users the caller may read, or the one set now even if it is not among them. */
export function PersonaSelect({ id, value, onChange, describedBy, invalid }: Props) {
  const personas = usePersonas();
  const listed = value === '' || personas.users.some((u) => u.id === value);
  const hintId = `${id}-hint`;
  const hint = personas.error
    ? `The users could not be read (${personas.error}): only the persona set now is offered.`
    : personas.more
      ? `The first ${personas.users.length} users by id are offered.`
      : null;
  return (
    <>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)} aria-invalid={invalid || undefined} aria-describedby={[hint && hintId, describedBy].filter(Boolean).join(' ') || undefined}>
        <option value="">None</option>
        {!listed && <option value={value}>{personas.loading ? value : `${value} (not among the users you can see)`}</option>}
        {personas.users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name} ({u.id})
          </option>
        ))}
      </select>
      {hint && (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      )}
    </>
  );
}

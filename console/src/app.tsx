import { useEffect, useState } from 'preact/hooks';
import { onConnection, type Connection } from './client.js';
import { Conversation } from './conversation.js';
import { SessionList } from './session-list.js';
import { SignIn } from './sign-in.js';
import { Users } from './users.js';

/** What the address shows: the users (#/users), a session (#/sessions/<id>), or the list alone. */
type Route = { view: 'users' } | { view: 'sessions'; selected: string | null };

function route(): Route {
  if (location.hash === '#/users') return { view: 'users' };
  const match = /^#\/sessions\/(.+)$/.exec(location.hash);
  return { view: 'sessions', selected: match?.[1] ? decodeURIComponent(match[1]) : null };
}

const CONNECTION_TEXT = { connecting: 'Connecting…', connected: 'Live', offline: 'Offline: reconnecting…' } as const;

function connectionText(c: Connection): string {
  return c.state === 'refused' ? `Refused: ${c.reason}. Nothing live until a key is entered.` : CONNECTION_TEXT[c.state];
}

export function App() {
  const [shown, setShown] = useState(route);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  useEffect(() => {
    const changed = () => setShown(route());
    addEventListener('hashchange', changed);
    const off = onConnection(setConnection);
    return () => {
      removeEventListener('hashchange', changed);
      off();
    };
  }, []);
  return (
    <>
      <header class="top">
        <a
          class="skip"
          href="#/"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          Skip to content
        </a>
        <h1>
          <a href="#/">Parley Console</a>
        </h1>
        <nav aria-label="Parley">
          <a href="#/" aria-current={shown.view === 'sessions' ? 'page' : undefined}>
            Sessions
          </a>
          <a href="#/users" aria-current={shown.view === 'users' ? 'page' : undefined}>
            Users
          </a>
          <a href="/graphql">GraphiQL</a>
        </nav>
        <SignIn />
        <p class={`connection ${connection.state}`} role="status">
          {connectionText(connection)}
        </p>
      </header>
      {shown.view === 'users' ? (
        <main id="main" tabIndex={-1} class="users-view">
          <Users />
        </main>
      ) : (
        <main id="main" tabIndex={-1} class={shown.selected ? 'with-session' : 'list-only'}>
          <SessionList selected={shown.selected} />
          {shown.selected ? (
            <Conversation key={shown.selected} id={shown.selected} />
          ) : (
            <section class="conversation placeholder" aria-label="No session open">
              <p>Pick a session to read it, follow it live and talk.</p>
            </section>
          )}
        </main>
      )}
    </>
  );
}

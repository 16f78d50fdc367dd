import { useEffect, useState } from 'preact/hooks';
import { onConnection, type Connection } from './client.js';
import { Conversation } from './conversation.js';
import { SessionList } from './session-list.js';
import { SignIn } from './sign-in.js';

/** The session named by the address (#/sessions/<id>), or null for the list alone. */
function selectedSession(): string | null {
  const match = /^#\/sessions\/(.+)$/.exec(location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

const CONNECTION_TEXT = { connecting: 'Connecting…', connected: 'Live', offline: 'Offline: reconnecting…' } as const;

function connectionText(c: Connection): string {
  return c.state === 'refused' ? `Refused: ${c.reason}. Nothing live until a key is entered.` : CONNECTION_TEXT[c.state];
}

export function App() {
  const [selected, setSelected] = useState(selectedSession);
  const [connection, setConnection] = useState<Connection>({ state: 'connecting' });
  useEffect(() => {
    const changed = () => setSelected(selectedSession());
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
          <a href="/graphql">GraphiQL</a>
        </nav>
        <SignIn />
        <p class={`connection ${connection.state}`} role="status">
          {connectionText(connection)}
        </p>
      </header>
      <main id="main" tabIndex={-1} class={selected ? 'with-session' : 'list-only'}>
        <SessionList selected={selected} />
        {selected ? (
          <Conversation key={selected} id={selected} />
        ) : (
          <section class="conversation placeholder" aria-label="No session open">
            <p>Pick a session to read it, follow it live and talk.</p>
          </section>
        )}
      </main>
    </>
  );
}

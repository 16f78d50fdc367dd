import { shortTime } from './format.js';
import type { ConsoleMessageFragment } from '../gql/graphql.js';

const ROLE_NAMES = { SYSTEM: 'System', USER: 'User', ASSISTANT: 'Assistant', TOOL: 'Tool' } as const;

/** One stored message, styled by role; a tool's output folded, a stopped reply marked. */
export function MessageView({ message: m, onEditAndRetry }: { message: ConsoleMessageFragment; onEditAndRetry?: (() => void) | undefined }) {
  const run = m.metadata['run'] as { incomplete?: boolean; status?: string } | undefined;
  const who = `${ROLE_NAMES[m.role]}${m.name ? ` (${m.name})` : ''}`;
  return (
    <li class={`message role-${m.role.toLowerCase()}`} data-seq={m.seq}>
      <p class="who">
        {who} <time dateTime={m.createdAt}>{shortTime(m.createdAt)}</time>
        {run?.incomplete && <span class="incomplete"> · incomplete ({(run.status ?? 'stopped').toLowerCase()})</span>}
      </p>
      {m.role === 'TOOL' ? (
        <details>
          <summary>Tool output ({m.content.length} characters)</summary>
          <pre class="content">{m.content}</pre>
        </details>
      ) : (
        <p class="content" id={`content-${m.seq}`}>{m.content}</p>
      )}
      {onEditAndRetry && (
        <button type="button" class="secondary small" aria-describedby={`content-${m.seq}`} onClick={onEditAndRetry}>
          Edit and retry
        </button>
      )}
      {Object.keys(m.metadata).length > 0 && (
        <details class="metadata">
          <summary>Metadata</summary>
          <pre>{JSON.stringify(m.metadata, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}

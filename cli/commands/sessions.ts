import type { Command } from 'commander';
import { CliError, typedError } from '../errors.js';
import type { Connect } from '../client.js';
import { DeleteSession, ListSessions, SessionExists, ShowSession } from '../operations.js';
import { collectMeta, examples, positiveInt, sessionFilter, type FilterOptions } from '../options.js';
import { activeSession, clearActiveSession, sessionId, setActiveSession } from '../state.js';

const PAGE = 100;
const oneLine = (text: string | null | undefined, max: number) => {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}

export function registerSessions(program: Command, connect: Connect): void {
  program
    .command('sessions')
    .summary('list sessions (a table, or JSON lines)')
    .description('List sessions, newest first: a table, or one JSON object per line with --json.')
    .option('--owner <id>', 'only the sessions of this owner')
    .option('--meta <key=value>', 'only sessions whose metadata has this value (repeatable)', collectMeta)
    .option('--title <text>', 'only sessions whose title contains this text')
    .option('--limit <n>', 'at most this many', positiveInt, 20)
    .option('--json', 'JSON lines, for scripts')
    .addHelpText('after', examples('parley sessions', 'parley sessions --meta category=support --meta priority=2 --limit 100', 'parley sessions --owner alice --json | jq .id'))
    .action(async (options: FilterOptions & { limit: number; json?: boolean }) => {
      const { request } = connect();
      const rows = [['ID', 'TITLE', 'MESSAGES', 'UPDATED', 'PREVIEW']];
      let after: string | null | undefined;
      let shown = 0;
      let total = 0;
      do {
        const { sessions } = await request(ListSessions, { filter: sessionFilter(options), first: Math.min(PAGE, options.limit - shown), after });
        if (sessions.__typename !== 'SessionConnection') throw typedError(sessions);
        total = sessions.totalCount;
        for (const { node } of sessions.edges) {
          if (options.json) process.stdout.write(`${JSON.stringify(node)}\n`);
          else rows.push([node.id, oneLine(node.title, 30), String(node.messageCount), node.updatedAt.slice(0, 19).replace('T', ' '), oneLine(node.preview, 40)]);
        }
        shown += sessions.edges.length;
        after = sessions.pageInfo.hasNextPage ? sessions.pageInfo.endCursor : null;
      } while (after && shown < options.limit);
      if (!options.json) process.stdout.write(`${table(rows)}\n${shown} of ${total} sessions\n`);
    });

  program
    .command('show')
    .summary('show a session and its last messages')
    .argument('[id]', 'the session (the active one by default)')
    .description('Show a session and its last messages.')
    .option('--last <n>', 'how many of the last messages', positiveInt, 20)
    .addHelpText('after', examples('parley show lisbon-trip', 'parley show --last 200'))
    .action(async (given: string | undefined, { last }: { last: number }) => {
      const { request } = connect();
      const id = sessionId(given);
      const pages: string[][] = [];
      let before: string | null | undefined;
      let left = last;
      let header = '';
      do {
        const { session } = await request(ShowSession, { id, last: Math.min(PAGE, left), before });
        if (!session) throw new CliError(`Session ${id} was not found`);
        if (!header) {
          const settings = [['owner', session.ownerId], ['model', session.model], ['system prompt', session.systemPrompt]] as const;
          header = [
            `${session.id}  ${session.title ?? '(untitled)'}`,
            ...settings.filter(([, v]) => v).map(([k, v]) => `${k}: ${oneLine(v, 100)}`),
            `metadata: ${JSON.stringify(session.metadata)}`,
            `${session.messageCount} messages, updated ${session.updatedAt}${session.activeRun ? `, run ${session.activeRun.id} ${session.activeRun.status}` : ''}`,
          ].join('\n');
        }
        const { edges, pageInfo } = session.messages;
        pages.unshift(edges.map(({ node }) => `#${node.seq} ${node.role}${node.name ? ` (${node.name})` : ''}: ${node.content}`));
        left -= edges.length;
        before = pageInfo.hasPreviousPage && edges.length ? pageInfo.startCursor : null;
      } while (before && left > 0);
      process.stdout.write(`${header}\n\n${pages.flat().join('\n')}\n`);
    });

  program
    .command('use')
    .summary('make a session the active one')
    .argument('<id>', 'the session')
    .description('Make a session the active one: show, export and chat use it when no id is given.')
    .addHelpText('after', examples('parley use lisbon-trip', 'parley show'))
    .action(async (id: string) => {
      const { session } = await connect().request(SessionExists, { id });
      if (!session) throw new CliError(`Session ${id} was not found`);
      setActiveSession(session.id);
      process.stdout.write(`Active session: ${session.id}${session.title ? ` (${session.title})` : ''}\n`);
    });

  program
    .command('rm')
    .summary('delete a session')
    .argument('<id>', 'the session')
    .description('Delete a session and all its messages.')
    .addHelpText('after', examples('parley rm lisbon-trip'))
    .action(async (id: string) => {
      const { deleteSession } = await connect().request(DeleteSession, { id });
      if (deleteSession.__typename !== 'DeletedSession') throw typedError(deleteSession);
      if (activeSession() === id) clearActiveSession();
      process.stdout.write(`Deleted ${deleteSession.id} (${deleteSession.messageCount} messages)\n`);
    });
}

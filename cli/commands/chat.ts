import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createClient, type Client } from 'graphql-ws';
import type { Connect, Request } from '../client.js';
import { CliError, EXIT, typedError } from '../errors.js';
import type { CliRunEventsSubscription } from '../gql/graphql.js';
import { CancelRun, CopySession, CreateSession, ExportSession, RunEvents, SendMessage, SessionExists, ShowSession } from '../operations.js';
import { examples, positiveInt } from '../options.js';
import { activeSession } from '../state.js';

type EndedRun = NonNullable<CliRunEventsSubscription['runEvents']['run']>;

const HELP =
  'Type a message and press Enter. /history n shows the last n messages, /fork goes on in a copy of the session, /export file writes it as a Parley document, /quit leaves; Ctrl-C stops a reply, a second Ctrl-C quits.';

export function registerChat(program: Command, connect: Connect): void {
  program
    .command('chat')
    .summary('chat in a session, the reply streamed')
    .argument('[id]', 'the session (the active one by default; a new one when there is none)')
    .description('Chat in a session: each line you type is sent (sendMessage) and the reply streams in as it is generated.')
    .option('--new', 'start a new session')
    .option('--title <text>', 'the title of a new session')
    .option('--model <name>', 'the model of a new session')
    .addHelpText(
      'after',
      `\n${HELP}\nReads lines from stdin, so it can be fed by a pipe. Prints the session id at the end.${examples('parley chat --new --title "Lisbon trip"', 'parley chat lisbon-trip', 'echo "Hello" | parley chat --new')}`,
    )
    .action(async (given: string | undefined, options: { new?: boolean; title?: string; model?: string }) => {
      const { request, url, apiKey } = connect();
      const id = await pickSession(request, given, options);
      const ws = createClient({
        url: url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: apiKey ? { Authorization: `Bearer ${apiKey}` } : {},
        // A dropped connection is retried, and each run's events are asked for again from offset 0:
        // those seen already are skipped by offset, so nothing is lost or printed twice.
        // Closes in 4400-4499 are the server refusing (credentials, a bad request): retrying cannot help.
        retryAttempts: 10,
        shouldRetry: (event) => !isRefusal(event),
      });
      try {
        await converse(request, ws, id);
      } finally {
        await ws.dispose();
      }
    });
}

const isRefusal = (event: unknown) => {
  const code = (event as { code?: unknown } | null)?.code;
  return typeof code === 'number' && code >= 4400 && code < 4500;
};

async function pickSession(request: Request, given: string | undefined, options: { new?: boolean; title?: string; model?: string }): Promise<string> {
  const existing = options.new ? undefined : (given ?? activeSession());
  if (existing) {
    const { session } = await request(SessionExists, { id: existing });
    if (!session) throw new CliError(`Session ${existing} was not found`);
    return session.id;
  }
  const { createSession } = await request(CreateSession, { input: { ...(options.title && { title: options.title }), ...(options.model && { model: options.model }) } });
  if (createSession.__typename !== 'Session') throw typedError(createSession);
  return createSession.id;
}

async function converse(request: Request, ws: Client, first: string): Promise<void> {
  let id = first;
  const tty = Boolean(process.stdin.isTTY);
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: tty, prompt: '> ' });
  process.stderr.write(`Session ${id}. ${HELP}\n`);
  let running: { runId: string; cancelling: boolean } | null = null;
  let quit = false;
  const interrupt = () => {
    if (running && !running.cancelling) {
      running.cancelling = true;
      process.stderr.write('\n(stopping the reply: Ctrl-C again quits)\n');
      request(CancelRun, { id: running.runId }).catch((error: unknown) => process.stderr.write(`parley: ${(error as Error).message}\n`));
      return;
    }
    if (running) {
      // A second Ctrl-C while the reply is being stopped: leave now, without waiting for its END.
      process.stdout.write(`\nSession ${id}\n`);
      // Close the WebSocket first, so that the server stops sending rather than write to a dead socket.
      setTimeout(() => process.exit(0), 300).unref();
      void Promise.resolve(ws.dispose()).finally(() => process.exit(0));
      return;
    }
    quit = true;
    lines.close();
  };
  lines.on('SIGINT', interrupt);
  process.on('SIGINT', interrupt);
  const prompt = () => tty && !quit && lines.prompt();
  prompt();
  try {
    for await (const raw of lines) {
      if (quit) break;
      const line = raw.trim();
      if (line === '/quit') break;
      const history = /^\/history(?:\s+(\S+))?$/.exec(line);
      const exportTo = /^\/export\s+(.+)$/.exec(line);
      if (history) await showHistory(request, id, history[1]);
      else if (line === '/fork') id = await fork(request, id);
      else if (exportTo) await exportToFile(request, id, exportTo[1] as string);
      else if (line.startsWith('/')) process.stderr.write(`Unknown command ${line.split(/\s/)[0]}. ${HELP}\n`);
      else if (line) {
        const runId = await send(request, id, line);
        if (runId) {
          running = { runId, cancelling: false };
          const run = await follow(ws, runId).finally(() => (running = null));
          if (run && run.status !== 'SUCCEEDED') process.stderr.write(`(${run.status.toLowerCase()}${run.error ? `: ${run.error.code} ${run.error.message}` : ''})\n`);
        }
      }
      prompt();
    }
  } finally {
    process.off('SIGINT', interrupt);
    lines.close();
  }
  process.stdout.write(`${tty ? '\n' : ''}Session ${id}\n`);
}

/** Copies the session (copySession); the chat goes on in the copy. */
async function fork(request: Request, id: string): Promise<string> {
  const { copySession } = await request(CopySession, { id });
  if (copySession.__typename !== 'Session') {
    process.stderr.write(`parley: ${typedError(copySession).message}\n`);
    return id;
  }
  process.stderr.write(`Forked ${id} into ${copySession.id} (${copySession.messageCount} messages): going on there\n`);
  return copySession.id;
}

async function exportToFile(request: Request, id: string, file: string): Promise<void> {
  const { exportSession } = await request(ExportSession, { id, format: 'PARLEY' });
  if (exportSession.__typename !== 'ExportedSession') return void process.stderr.write(`parley: ${typedError(exportSession).message}\n`);
  try {
    await writeFile(file, `${JSON.stringify(exportSession.document, null, 2)}\n`);
    process.stderr.write(`Exported ${id} to ${file}\n`);
  } catch (error) {
    process.stderr.write(`parley: ${(error as Error).message}\n`);
  }
}

/** Sends one message; the run's id, or null (the failure printed) when the server refused it. */
async function send(request: Request, id: string, content: string): Promise<string | null> {
  const { sendMessage } = await request(SendMessage, { sessionId: id, message: { content, clientId: randomUUID() } });
  if (sendMessage.__typename === 'SendMessagePayload') return sendMessage.run.id;
  process.stderr.write(`parley: ${typedError(sendMessage).message}\n`);
  return null;
}

/** Prints a run's reply as it streams; resolves with the run as it ended. */
function follow(ws: Client, runId: string): Promise<EndedRun | null> {
  let seen = 0;
  let ended: EndedRun | null = null;
  return new Promise((resolve, reject) => {
    ws.subscribe<CliRunEventsSubscription>(
      { query: String(RunEvents), variables: { runId, afterOffset: 0 } },
      {
        next: ({ data, errors }) => {
          if (errors?.length) return reject(new CliError(errors.map((e) => e.message).join('; ')));
          const event = data?.runEvents;
          if (!event || event.offset <= seen) return;
          seen = event.offset;
          if (event.type === 'DELTA' && event.text) process.stdout.write(event.text);
          if (event.type === 'END') {
            ended = event.run ?? null;
            process.stdout.write('\n');
          }
        },
        error: (error) => reject(streamFailure(error)),
        complete: () => resolve(ended),
      },
    );
  });
}

/** Why the reply stream ended without its END, in one line. */
function streamFailure(error: unknown): CliError {
  if (Array.isArray(error)) return new CliError((error as { message: string }[]).map((e) => e.message).join('; '));
  const { code, reason, message } = (error ?? {}) as { code?: number; reason?: string; message?: string };
  if (typeof code === 'number') return new CliError(`The connection for the reply closed (${code}${reason ? `: ${reason}` : ''}), retries used up`, EXIT.UNAVAILABLE);
  return new CliError(`The connection for the reply failed${message ? `: ${message}` : ''}`, EXIT.UNAVAILABLE);
}

async function showHistory(request: Request, id: string, count: string | undefined): Promise<void> {
  let last = 10;
  try {
    if (count !== undefined) last = positiveInt(count);
  } catch {
    process.stderr.write('Usage: /history n (a whole number from 1)\n');
    return;
  }
  const { session } = await request(ShowSession, { id, last: Math.min(last, 100) });
  for (const { node } of session?.messages.edges ?? []) process.stdout.write(`#${node.seq} ${node.role}: ${node.content}\n`);
}

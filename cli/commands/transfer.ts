import { randomUUID } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import type { Connect, Request } from '../client.js';
import { CliError, EXIT, describeProblem, problemsOf, typedError } from '../errors.js';
import { ExportSession, ImportSession, ModelMessagesPage, SessionIdsPage } from '../operations.js';
import { collectMeta, examples, sessionFilter, type FilterOptions } from '../options.js';
import { mapLimited, output } from '../output.js';
import { sessionId, setActiveSession } from '../state.js';
import type { ExchangeFormat } from '../gql/graphql.js';

const FORMATS: Record<string, ExchangeFormat> = { parley: 'PARLEY', sdk: 'SDK', chat: 'CHAT_MESSAGES' };
const formatOption = (fallback: string, what: string) =>
  new Option('--format <format>', what).choices(Object.keys(FORMATS)).default(fallback);
const PAGE = 100;
const PARALLEL = 8;

async function exportDocument(request: Request, id: string, format: ExchangeFormat): Promise<unknown> {
  const { exportSession } = await request(ExportSession, { id, format });
  if (exportSession.__typename !== 'ExportedSession') throw typedError(exportSession);
  return exportSession.document;
}

/** One document to import: a file (read when its turn comes), a line of a .jsonl file, or stdin. */
interface Item {
  label: string;
  text: () => Promise<string>;
}

/** The documents named on the command line: files, directories (every .json and .jsonl in them, recursively), - for stdin. */
async function collect(paths: string[]): Promise<Item[]> {
  const items: Item[] = [];
  const add = async (label: string, read: () => Promise<string>): Promise<void> => {
    if (!label.endsWith('.jsonl')) return void items.push({ label, text: read });
    (await read()).split('\n').forEach((line, i) => line.trim() && items.push({ label: `${label}:${i + 1}`, text: async () => line }));
  };
  for (const path of paths) {
    if (path === '-') {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      await add('-', async () => text);
      continue;
    }
    const info = await stat(path).catch(() => null);
    if (!info) throw new CliError(`${path}: no such file or directory`, EXIT.USAGE);
    const names = info.isDirectory() ? (await readdir(path, { recursive: true })).filter((f) => /\.jsonl?$/.test(f)).sort().map((f) => join(path, f)) : [path];
    for (const name of names) await add(name, () => readFile(name, 'utf8'));
  }
  return items;
}

type Outcome = { item: Item } & ({ status: 'imported'; id: string } | { status: 'skipped'; detail: string } | { status: 'failed'; problems: string[] });

function progress(total: number) {
  let done = 0;
  const tty = process.stderr.isTTY;
  return (outcome: Outcome) => {
    done += 1;
    if (tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
    } else {
      const what = outcome.status === 'imported' ? `imported as ${outcome.id}` : outcome.status;
      process.stderr.write(`${done}/${total} ${outcome.item.label}: ${what}\n`);
    }
  };
}

export function registerTransfer(program: Command, connect: Connect): void {
  program
    .command('export')
    .summary('write a session as a JSON document')
    .argument('[id]', 'the session (the active one by default)')
    .description('Write a session as a JSON document: Parley\'s own (lossless), an SDK session file, or a chat-completion message list.')
    .addOption(formatOption('parley', 'the document\'s format'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText('after', examples('parley export lisbon-trip -o lisbon-trip.json', 'parley export lisbon-trip --format chat'))
    .action(async (given: string | undefined, options: { format: string; output?: string }) => {
      const document = await exportDocument(connect().request, sessionId(given), FORMATS[options.format] as ExchangeFormat);
      const out = output(options.output);
      await out.write(`${JSON.stringify(document, null, 2)}\n`);
      await out.close();
    });

  program
    .command('import')
    .summary('import session files and folders')
    .argument('<paths...>', 'files, directories (their .json and .jsonl files, recursively), or - for stdin')
    .description(
      'Import sessions from documents of any format Parley reads (Parley\'s, SDK session files, chat message lists; a .jsonl file holds one per line). Documents keep their ids, so a session that exists already is skipped and running an import again is safe.',
    )
    .option('--new-id', 'give every imported session a new id instead (an import run twice then makes copies)')
    .option('--owner <id>', 'the owner of the imported sessions')
    .option('--use', 'make the (last) imported session the active one')
    .addHelpText(
      'after',
      `\nPrints a summary: imported, skipped because the id exists, failed with each problem at its JSON\npath. Exits 1 when any document failed. A caller that is not an admin cannot choose ids: the
server gives each of its imports a new one, so for it a second run imports everything again.
${examples('parley import ./exported-sessions/', 'parley import a.json b.json --owner alice', 'cat chat.json | parley import - --use')}`,
    )
    .action(async (paths: string[], options: { newId?: boolean; owner?: string; use?: boolean }) => {
      const { request } = connect();
      const items = await collect(paths);
      const report = progress(items.length);
      const outcomes = await mapLimited(items, PARALLEL, async (item): Promise<Outcome> => {
        const outcome = await importOne(request, item, options);
        report(outcome);
        return outcome;
      });
      const count = (status: Outcome['status']) => outcomes.filter((o) => o.status === status);
      const [imported, skipped, failed] = [count('imported'), count('skipped'), count('failed')];
      const lines = [`Imported ${imported.length}, skipped ${skipped.length} (id exists), failed ${failed.length}, of ${items.length} documents.`];
      for (const o of outcomes) {
        if (o.status === 'failed') lines.push(...o.problems.map((p) => `failed  ${o.item.label}: ${p}`));
        if (o.status === 'skipped') lines.push(`skipped ${o.item.label}: ${o.detail}`);
      }
      const last = imported.at(-1);
      if (options.use && last?.status === 'imported') {
        setActiveSession(last.id);
        lines.push(`Active session: ${last.id}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      if (failed.length) process.exitCode = EXIT.FAILED;
    });

  program
    .command('export-all')
    .summary('write every matching session as JSON lines')
    .description('Write every matching session as JSON lines, page by page: chat-completion {"messages": [...]} (system prompt first) for evaluation and fine-tuning, or Parley documents (--format parley), a lossless backup that `parley import` reads back.')
    .option('--owner <id>', 'only the sessions of this owner')
    .option('--meta <key=value>', 'only sessions whose metadata has this value (repeatable)', collectMeta)
    .option('--title <text>', 'only sessions whose title contains this text')
    .option('--jsonl', 'JSON lines (the only layout, and the default)')
    .addOption(new Option('--format <format>', 'chat: {"messages": [...]}; parley: one Parley document per line').choices(['chat', 'parley']).default('chat'))
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addHelpText('after', examples('parley export-all --jsonl -o train.jsonl', 'parley export-all --meta category=support --jsonl', 'parley export-all --format parley -o backup.jsonl && parley import backup.jsonl'))
    .action(async (options: FilterOptions & { format: string; output?: string }) => {
      const { request } = connect();
      const out = output(options.output);
      const filter = sessionFilter(options);
      let after: string | null | undefined;
      let written = 0;
      do {
        if (options.format === 'chat') {
          const { sessions } = await request(ModelMessagesPage, { filter, first: PAGE, after });
          if (sessions.__typename !== 'SessionConnection') throw typedError(sessions);
          for (const { node } of sessions.edges) await out.write(`${JSON.stringify({ messages: node.modelMessages.map(compact) })}\n`);
          written += sessions.edges.length;
          after = sessions.pageInfo.hasNextPage ? sessions.pageInfo.endCursor : null;
        } else {
          const { sessions } = await request(SessionIdsPage, { filter, first: PAGE, after });
          if (sessions.__typename !== 'SessionConnection') throw typedError(sessions);
          const documents = await mapLimited(sessions.edges, PARALLEL, ({ node }) => exportDocument(request, node.id, 'PARLEY'));
          for (const document of documents) await out.write(`${JSON.stringify(document)}\n`);
          written += sessions.edges.length;
          after = sessions.pageInfo.hasNextPage ? sessions.pageInfo.endCursor : null;
        }
      } while (after);
      await out.close();
      process.stderr.write(`Exported ${written} sessions\n`);
    });
}

/** A chat message without the fields that are null (a plain {role, content} for most). */
const compact = (message: Record<string, unknown>) => Object.fromEntries(Object.entries(message).filter(([, v]) => v != null));

async function importOne(request: Request, item: Item, options: { newId?: boolean; owner?: string }): Promise<Outcome> {
  let document: unknown;
  try {
    document = JSON.parse(await item.text());
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { item, status: 'failed', problems: [code ? `cannot read it: ${code}` : `not JSON: ${message}`] };
  }
  try {
    const { importSession: result } = await request(ImportSession, { document, ...(options.newId && { newId: randomUUID() }), ...(options.owner && { ownerId: options.owner }) });
    switch (result.__typename) {
      case 'Session':
        return { item, status: 'imported', id: result.id };
      case 'ConflictError':
        return { item, status: 'skipped', detail: result.message };
      default: {
        const problems = problemsOf(result).map(describeProblem);
        return { item, status: 'failed', problems: problems.length ? problems : [result.message] };
      }
    }
  } catch (error) {
    if (error instanceof CliError && error.exitCode === EXIT.FAILED) return { item, status: 'failed', problems: [error.message] };
    throw error;
  }
}

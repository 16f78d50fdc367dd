import { Command, CommanderError, Option } from 'commander';
import { createRequest, type Connect } from './client.js';
import { CliError, EXIT } from './errors.js';
import { registerChat } from './commands/chat.js';
import { registerServe } from './commands/serve.js';
import { registerSessions } from './commands/sessions.js';
import { registerTransfer } from './commands/transfer.js';

const program = new Command('parley')
  .description('Talk to a Parley server from a terminal: list, show, import and export sessions, chat.')
  .addOption(new Option('--url <url>', 'the GraphQL endpoint').env('PARLEY_URL').default('http://localhost:4000/graphql'))
  .addOption(new Option('--api-key <key>', 'sent as "Authorization: Bearer <key>"').env('PARLEY_API_KEY'))
  .configureHelp({ showGlobalOptions: true })
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .addHelpText(
    'after',
    `
The active session (parley use <id>) is kept in $XDG_CONFIG_HOME/parley/ (~/.config/parley/);
show, export and chat use it when no id is given.

Exit codes: 0 done; 1 the server refused something (not found, invalid input, a file not
imported); 2 a wrong command line; 3 the server unreachable, the credentials refused, or an
unexpected server failure.

Examples:
  parley sessions --meta category=support
  parley import ./exported-sessions/
  parley export-all --jsonl -o train.jsonl
  PARLEY_URL=https://parley.example.com/graphql PARLEY_API_KEY=… parley chat --new`,
  );

const connect: Connect = () => {
  const { url, apiKey } = program.opts<{ url: string; apiKey?: string }>();
  return { request: createRequest({ url, apiKey }), url, apiKey };
};

registerServe(program);
registerSessions(program, connect);
registerTransfer(program, connect);
registerChat(program, connect);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`parley: ${error.message}\n`);
  process.exit(error.exitCode);
}

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './errors.js';

/** Where `parley use` remembers the active session: $XDG_CONFIG_HOME/parley, else ~/.config/parley. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'parley');
}

const file = () => join(stateDir(), 'active-session');

export function activeSession(): string | undefined {
  try {
    return readFileSync(file(), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function setActiveSession(id: string): void {
  mkdirSync(stateDir(), { recursive: true });
  writeFileSync(file(), `${id}\n`);
}

export function clearActiveSession(): void {
  rmSync(file(), { force: true });
}

/** The id given on the command line, else the active session, else a usage error. */
export function sessionId(given: string | undefined): string {
  const id = given ?? activeSession();
  if (!id) throw new CliError('No session given and no active session: pass an id, or pick one with `parley use <id>`', EXIT.USAGE);
  return id;
}

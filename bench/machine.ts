import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const ROOT = new URL('../', import.meta.url);
const PACKAGES = ['graphql-yoga', '@pothos/core', 'graphql', '@envelop/core', '@envelop/graphql-jit', 'graphql-jit', 'mercurius', 'fastify', 'mercurius/node_modules/graphql-jit', 'autocannon'];

/** What a figure depends on besides the code: the machine, its load, and the versions in use. */
export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryBytes: os.totalmem(),
    /** 1, 5 and 15 minute load averages when the run started: other work on the machine. */
    loadAverage: os.loadavg(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    npm: npmVersion(),
  };
}

export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, ROOT), 'utf8')) as { version: string };
      // Mercurius pins a graphql-jit of its own, installed beneath it when it differs from Parley's.
      versions[name.replace('mercurius/node_modules/graphql-jit', 'graphql-jit (mercurius)')] = manifest.version;
    } catch {
      // not installed: not part of this build
    }
  }
  return versions;
}

export function gitCommit(): { commit: string | null; dirty: boolean | null } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results.json');
    return { commit: git('rev-parse', 'HEAD'), dirty: changed !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}

function npmVersion(): string | null {
  const agent = /npm\/(\S+)/.exec(process.env['npm_config_user_agent'] ?? '');
  if (agent?.[1]) return agent[1];
  try {
    return execFileSync('npm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

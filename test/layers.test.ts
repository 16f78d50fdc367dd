import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering of DESIGN.md, read from the import statements of every TypeScript file.
const root = resolve(import.meta.dirname, '..');

const sources = (dir: string) => sourcesEndingWith(dir, ['.ts']);

function sourcesEndingWith(dir: string, extensions: string[]): string[] {
  const full = join(root, dir);
  try {
    statSync(full);
  } catch {
    return [];
  }
  return readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => extensions.some((e) => f.endsWith(e)))
    .map((f) => join(dir, f));
}

interface Import {
  file: string;
  /** The project path it resolves to, or the package name. */
  target: string;
  local: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(root, file), 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map(([, spec]) => {
    const s = spec as string;
    if (!s.startsWith('.')) return { file, target: s.startsWith('node:') ? s : s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'), local: false };
    return { file, target: relative(root, resolve(dirname(join(root, file)), s)), local: true };
  });
}

const offending = (files: string[], allowed: (i: Import) => boolean) =>
  files.flatMap(importsOf).filter((i) => !allowed(i)).map((i) => `${i.file} -> ${i.target}`);

describe('the layers', () => {
  it('src/core knows no GraphQL, database, model SDK or other layer: only itself, zod and node', () => {
    expect(
      offending(sources('src/core'), (i) => (i.local ? i.target.startsWith('src/core/') : i.target === 'zod' || i.target.startsWith('node:'))),
    ).toEqual([]);
  });

  it.each(['adapters', 'providers'])('each of %s/ knows only src/core, its own folder and its packages', (dir) => {
    const files = sources(dir);
    expect(
      offending(files, (i) => !i.local || i.target.startsWith('src/core/') || i.target.split('/')[1] === i.file.split('/')[1]),
    ).toEqual([]);
  });

  it('providers/ reach models only through their SDK, adapters/ no model SDK, neither graphql', () => {
    const bad = new Set(['graphql', 'graphql-yoga', 'graphql-ws', 'ioredis']);
    expect(offending([...sources('adapters'), ...sources('providers')], (i) => i.local || !bad.has(i.target))).toEqual([]);
    expect(offending(sources('adapters'), (i) => i.local || i.target !== 'openai')).toEqual([]);
  });

  it('src/graphql knows no adapter and no provider', () => {
    expect(
      offending(sources('src/graphql'), (i) => !i.local || !(i.target.startsWith('adapters/') || i.target.startsWith('providers/'))),
    ).toEqual([]);
  });

  // The floors, bottom up: src/core, src/live, src/graphql, src/server. Nothing imports a floor above its own.
  it.each([
    ['src/live', ['src/graphql/', 'src/server/']],
    ['src/graphql', ['src/server/']],
  ])('%s imports nothing from the floors above it', (dir, above) => {
    expect(offending(sources(dir), (i) => !i.local || !above.some((floor) => i.target.startsWith(floor)))).toEqual([]);
  });

  it('only the entry point (src/server/main.ts) picks adapters and providers', () => {
    expect(
      offending(sources('src'), (i) => !i.local || i.file === 'src/server/main.ts' || !(i.target.startsWith('adapters/') || i.target.startsWith('providers/'))),
    ).toEqual([]);
  });

  it('console/ is a client of the public API: it imports nothing from src/, adapters/ or providers/, only itself and its packages', () => {
    const files = sourcesEndingWith('console', ['.ts', '.tsx']);
    expect(files.length).toBeGreaterThan(5);
    expect(offending(files, (i) => !i.local || i.target.startsWith('console/'))).toEqual([]);
    expect(offending(files, (i) => i.local || !['graphql-yoga', '@pothos/core', 'mongodb', 'ioredis', 'openai'].includes(i.target))).toEqual([]);
  });

  it('cli/ is a client of the public API: it imports nothing from src/, adapters/ or providers/ (generated types are its own, in cli/gql/)', () => {
    const files = sources('cli');
    expect(files.length).toBeGreaterThan(5);
    expect(files.flatMap(importsOf).filter((i) => i.local).length).toBeGreaterThan(10);
    expect(offending(files, (i) => !i.local || i.target.startsWith('cli/'))).toEqual([]);
  });

  it('has no import cycle', () => {
    const files = ['src', 'adapters', 'providers', 'cli'].flatMap(sources);
    const edges = new Map(files.map((f) => [f, importsOf(f).filter((i) => i.local).map((i) => i.target.replace(/\.js$/, '.ts'))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('finds the imports it checks (the rules above are not vacuous)', () => {
    expect(sources('src/core').length).toBeGreaterThan(10);
    expect(sources('providers').length).toBeGreaterThanOrEqual(2);
    expect(sources('src/server/plugins').length).toBeGreaterThanOrEqual(5);
    expect(importsOf('src/server/main.ts').some((i) => i.target.startsWith('adapters/'))).toBe(true);
    expect(sources('src/core').flatMap(importsOf).filter((i) => i.local).length).toBeGreaterThan(20);
  });
});

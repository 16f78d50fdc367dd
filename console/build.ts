import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Bundles the console into outdir: index.html, console.js (Preact, urql, graphql-ws and the views,
 * minified, with a source map) and console.css. Nothing is fetched at run time. Used by
 * `npm run build` (into dist/console/) and by the browser tests (into a folder of their own).
 */
export async function buildConsole(outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { console: join(here, 'src/main.tsx') },
    outdir,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: join(here, 'tsconfig.json'),
    entryNames: '[name]',
    logLevel: 'warning',
  });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildConsole(process.argv[2] ?? join(here, '../dist/console'));
}

import { readFileSync } from 'node:fs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('### Using Apollo Client / urql');
const list = /const embedded = \[([^\]]*)\]/.exec(readme.slice(start))?.[1];
if (start < 0 || list === undefined) throw new Error('README.md: no `const embedded = [...]` under "Using Apollo Client / urql"');

/** The README's list of Parley's object types without an identity, as its client setup uses it. */
export const EMBEDDED_TYPES: string[] = [...list.matchAll(/'([A-Za-z]+)'/g)].map((m) => m[1] as string);

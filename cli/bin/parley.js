#!/usr/bin/env node
// The `parley` command runs its TypeScript through tsx (a dependency), so it works from a clone
// after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../main.ts');

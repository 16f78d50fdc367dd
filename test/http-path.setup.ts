import { afterAll } from 'vitest';
import { stopStarted } from './http-path.js';

afterAll(stopStarted);

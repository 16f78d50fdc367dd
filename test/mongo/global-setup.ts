import type { TestProject } from 'vitest/node';
import { findMongo } from './server.js';

/** Finds (or starts) one MongoDB for the whole run and hands its address to the test files. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { target, stop } = await findMongo();
  project.provide('mongo', target);
  return stop;
}

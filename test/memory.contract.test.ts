import { createMemoryStorage } from '../adapters/memory/index.js';
import { describeStorageContract } from './contract/storage-contract.js';

describeStorageContract({ name: 'memory', create: async () => createMemoryStorage() });

import { describeStorageContract } from './contract/storage-contract.js';
import { describeWithMongo } from './mongo/harness.js';

describeWithMongo('MongoDB adapter', (mongo) => {
  describeStorageContract({ name: 'mongo', create: () => mongo.storage() });
});

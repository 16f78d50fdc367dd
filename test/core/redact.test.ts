import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/core/redact.js';

describe('connection strings in log lines', () => {
  it('keeps user names but never passwords', () => {
    expect(redactUrl('mongodb://app:p%40ss@db1:27017,db2:27017/parley?replicaSet=rs0')).toBe('mongodb://app:***@db1:27017,db2:27017/parley?replicaSet=rs0');
    expect(redactUrl('mongodb+srv://token@cluster.example.net/')).toBe('mongodb+srv://token:***@cluster.example.net/');
    expect(redactUrl('redis://:hunter2@127.0.0.1:6379/0')).toBe('redis://***@127.0.0.1:6379/0');
    expect(redactUrl('mongodb://localhost:27017/')).toBe('mongodb://localhost:27017/');
  });

  it('hides the whole of a password with an unescaped @, / or ?', () => {
    expect(redactUrl('mongodb://app:p@ss/w?rd@db.example/parley')).toBe('mongodb://app:***@db.example/parley');
  });

  it('hides credentials in values that are not URLs of the expected kind', () => {
    expect(redactUrl('user:hunter2@cache.example:6379')).toBe('user:***@cache.example:6379');
    expect(redactUrl('http://user:hunter2@cache.example:6379')).toBe('http://user:***@cache.example:6379');
  });

  it('hides query parameters that hold credentials', () => {
    expect(redactUrl('redis://cache.example:6379?password=hunter2&db=1')).toBe('redis://cache.example:6379?password=***&db=1');
    expect(redactUrl('mongodb://db.example/?authMechanism=MONGODB-AWS&authMechanismProperties=AWS_SESSION_TOKEN:abc')).toBe(
      'mongodb://db.example/?authMechanism=MONGODB-AWS&authMechanismProperties=***',
    );
  });
});

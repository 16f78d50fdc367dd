import { isAbstractType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.js';
import introspection from '../../possible-types.json' with { type: 'json' };
import { EMBEDDED_TYPES } from './readme-setup.js';

describe('what normalized caches are told about the schema', () => {
  it('possible-types.json lists every union and interface with its members', () => {
    const abstract = Object.values(schema.getTypeMap()).filter(isAbstractType);
    const expected = Object.fromEntries(abstract.map((t) => [t.name, schema.getPossibleTypes(t).map((m) => m.name).sort()]));
    const published = Object.fromEntries(Object.entries(introspection.possibleTypes).map(([k, v]) => [k, [...v].sort()]));
    expect(published).toEqual(expected);
    expect(published.Error).toContain('NotFoundError');
  });

  it("the README's embedded list names exactly the object types without an identity", () => {
    // graphcache embeds connections, edges and PageInfo by itself; NotFoundError.id is deprecated and no identity.
    const identityLess = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((t) => !t.name.startsWith('__') && ![schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(t))
      .filter((t) => !/PageInfo|(Connection|Edge)$/.test(t.name))
      .filter((t) => !t.getFields().id || t.getFields().id?.deprecationReason)
      .map((t) => t.name);
    expect([...EMBEDDED_TYPES].sort()).toEqual(identityLess.sort());
  });
});

import { buildSchema, GraphQLError, parse, type GraphQLSchema, type ValidationRule } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/graphql/schema/index.js';
import { useValidationCache } from '../src/server/plugins/validation-cache.js';

interface Flags {
  strict?: boolean;
}

/** Counts the validations of a yoga that adds a rule refusing every operation for `strict` contexts. */
function yogaWith(s: GraphQLSchema, cache: Plugin) {
  const runs = { all: 0, strict: 0 };
  const counted: ValidationRule = () => ({ Document: () => void runs.all++ });
  const refuseAll: ValidationRule = (context) => ({
    OperationDefinition: () => {
      runs.strict++;
      context.reportError(new GraphQLError('refused'));
    },
  });
  const rules: Plugin<Flags> = {
    onValidate({ context, addValidationRule }) {
      addValidationRule(counted);
      if (context.strict) addValidationRule(refuseAll);
    },
  };
  const yoga = createYoga({ schema: s, parserAndValidationCache: { validationCache: false }, plugins: [rules, cache] });
  const check = (flags: Flags, document = parse('{ stats { __typename } }')) => {
    const { validate, schema: own } = yoga.getEnveloped(flags as never);
    return validate(own, document).map((e: GraphQLError) => e.message);
  };
  return { runs, check };
}

describe('the validation cache', () => {
  const document = parse('{ stats { __typename } }');

  it('validates a document once per set of rules, and never answers one set with the result of another', () => {
    const { runs, check } = yogaWith(schema, useValidationCache());
    expect([check({}, document), check({}, document)]).toEqual([[], []]);
    expect(runs.all).toBe(1);
    expect([check({ strict: true }, document), check({ strict: true }, document)]).toEqual([['refused'], ['refused']]);
    expect(runs).toEqual({ all: 2, strict: 1 });
    expect(check({}, document)).toEqual([]);
    expect(runs.all).toBe(2);
  });

  it('keeps the results of two schemas apart', () => {
    const cache = useValidationCache();
    const ours = yogaWith(schema, cache);
    const other = yogaWith(buildSchema('type Query { other: Int }'), cache);
    expect(ours.check({}, document)).toEqual([]);
    expect(other.check({}, document)).toEqual(['Cannot query field "stats" on type "Query".']);
    expect(ours.check({}, document)).toEqual([]);
  });
});

import SchemaBuilder, { type ArgBuilder } from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { DATE_RANGE_MESSAGE, isRepresentableDate } from '../core/bounds.js';
import { isPlainObject, type JsonObject, type JsonValue } from '../core/json.js';
import { isoTime } from './iso-time.js';
import type { Context } from './context.js';

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: JsonObject; Output: JsonObject };
    JSON: { Input: unknown; Output: unknown };
  };
  /** Every connection carries its totalCount, computed only when a client selects it. */
  Connection: { totalCount: number | (() => Promise<number>) };
}>({
  // The errors plugin must come before the dataloader plugin (see the errors plugin's docs).
  plugins: [ErrorsPlugin, RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  errors: {
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${pascal(fieldName)}Result` },
  },
  relay: {
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

/** The schema types of this builder, for helpers that take Pothos field or argument builders. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
export type Arg = ArgBuilder<Types>;

builder.queryType({});
builder.mutationType({});

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole listing holds, whatever the page.',
    resolve: ({ totalCount }) => (typeof totalCount === 'function' ? totalCount() : totalCount),
  }),
);

builder.scalarType('DateTime', {
  description:
    'A moment in time: an ISO 8601 date-time with an offset, such as 2026-03-02T09:14:05.120Z, from 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.',
  serialize: (value) => serializeDateTime(value as Date),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseJsonObject(value: unknown): JsonObject {
  if (!isPlainObject(value)) throw new GraphQLError('A JSONObject must be a JSON object');
  return value as JsonObject;
}

builder.scalarType('JSONObject', {
  description: 'A JSON object (never an array nor a scalar).',
  serialize: (value) => value,
  parseValue: parseJsonObject,
  parseLiteral: (ast, variables) => parseJsonObject(literalToJson(ast, variables)),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => literalToJson(ast, variables),
});

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && ISO_DATE_TIME.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('A DateTime is an ISO 8601 date-time with an offset, such as 2026-03-02T09:14:05.120Z');
  }
  if (!isRepresentableDate(date)) throw new GraphQLError(DATE_RANGE_MESSAGE);
  return date;
}

/** Every date that enters is checked against the same range, so one outside it is a server fault. */
function serializeDateTime(date: Date): string {
  if (!isRepresentableDate(date)) throw new TypeError(`DateTime cannot represent ${String(date)}`);
  return isoTime(date.getTime());
}

function literalToJson(ast: ValueNode, variables?: Record<string, unknown> | null): JsonValue {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((item) => literalToJson(item, variables));
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((field) => [field.name.value, literalToJson(field.value, variables)]));
    case Kind.VARIABLE:
      return (variables?.[ast.name.value] ?? null) as JsonValue;
    case Kind.ENUM:
      throw new GraphQLError(`${ast.value} is not a JSON value: quote it to make it a string`);
  }
}

import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from '../builder.js';
import './errors.js';
import './session.js';
import './message.js';
import './lineage.js';
import './exchange.js';
import './stats.js';
import './user.js';
import './subscription.js';
import './run.js';

/** The Parley schema, sorted so that its printed form (schema.graphql) diffs cleanly. */
export const schema: GraphQLSchema = lexicographicSortSchema(builder.toSchema());

import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Bounds on the shape of an operation, checked before it runs (graphql-armor). */
export interface ArmorLimits {
  /** Nesting of selections, fragments flattened. Default 12. */
  depth: number;
  /** Aliases in one operation. Default 30. */
  aliases: number;
  /** Directives in one operation. Default 20. */
  directives: number;
  /** Tokens in the document, before it is even parsed fully. Default 5,000. */
  tokens: number;
  /** graphql-armor's cost estimate (objects, scalars, weighted by depth). Default 50,000. */
  cost: number;
}

/** The operation-shape protections; with introspection off, "did you mean" suggestions are hidden too. */
export function armorPlugins(limits: ArmorLimits, introspection: boolean): Plugin[] {
  const coded = { onReject: [withCode] };
  const plugins: Plugin[] = [
    maxTokensPlugin({ n: limits.tokens, ...coded }),
    maxDepthPlugin({ n: limits.depth, flattenFragments: true, ignoreIntrospection: true, ...coded }),
    maxAliasesPlugin({ n: limits.aliases, ...coded }),
    maxDirectivesPlugin({ n: limits.directives, ...coded }),
    costLimitPlugin({ maxCost: limits.cost, ignoreIntrospection: true, ...coded }),
  ] as Plugin[];
  if (!introspection) plugins.push(blockFieldSuggestionsPlugin() as Plugin);
  return plugins;
}

/**
 * graphql-armor's rejections carry no code: give them one a client can branch on. Their message
 * starts with "Syntax Error: " even when the document is well-formed: a limit is not a syntax error.
 */
function withCode(_context: unknown, error: GraphQLError): void {
  (error.extensions as Record<string, unknown>).code = 'QUERY_TOO_COMPLEX';
  error.message = error.message.replace(/^Syntax Error: /, '');
}

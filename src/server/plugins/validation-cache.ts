import type { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

interface Entry {
  /** The names of the rules the result was found with, in order. */
  rules: string[];
  result: readonly GraphQLError[];
}

/**
 * Validation results, cached per schema and parsed document (yoga's parser cache hands out one
 * DocumentNode per query text, so a repeated query finds its result by identity), and per set of
 * rules. Replaces yoga's validation cache (`parserAndValidationCache: { validationCache: false }`),
 * which joins the names of all the rules into a string key on every request: here the rules of a
 * request are compared with those of the cached results name by name, which allocates nothing.
 * Rules are told apart by name, as yoga does: graphql-armor makes a new rule function per request.
 * Must come after every plugin that adds a validation rule (armor, introspection).
 */
export function useValidationCache(): Plugin {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Entry[]>>();
  return {
    onValidate({ params, setResult }) {
      const { schema, documentAST } = params;
      const rules: readonly ValidationRule[] = params.rules ?? [];
      let byDocument = bySchema.get(schema);
      if (!byDocument) bySchema.set(schema, (byDocument = new WeakMap()));
      const entries = byDocument.get(documentAST);
      const hit = entries?.find((entry) => sameRules(entry.rules, rules));
      if (hit) return setResult(hit.result);
      const cached = byDocument;
      return ({ result }) => {
        const list = cached.get(documentAST) ?? [];
        list.push({ rules: rules.map((rule) => rule.name), result: result as readonly GraphQLError[] });
        cached.set(documentAST, list);
      };
    },
  };
}

function sameRules(names: string[], rules: readonly ValidationRule[]): boolean {
  if (names.length !== rules.length) return false;
  for (let i = 0; i < names.length; i++) if (names[i] !== rules[i]!.name) return false;
  return true;
}


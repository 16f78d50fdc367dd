/** A GraphQL request to the test's server, to set up or check what the CLI did, not through it. */
export async function gql<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export const totalSessions = async (url: string): Promise<number> =>
  (await gql<{ sessions: { totalCount: number } }>(url, '{ sessions { ... on SessionConnection { totalCount } } }')).sessions.totalCount;

/** Creates a session with settings and a few messages of every role; gives its id. */
export async function seedSession(url: string, id: string, extra: Record<string, unknown> = {}): Promise<string> {
  const input = {
    id,
    title: `Trip ${id}`,
    model: 'gpt-4o-mini',
    systemPrompt: 'You are a concise travel assistant.',
    context: { customer: 'c-42' },
    metadata: { category: 'travel', priority: 2 },
    messages: [
      { role: 'USER', content: 'Two days in Lisbon?' },
      { role: 'ASSISTANT', content: 'Alfama, tram 28, Belem.' },
      { role: 'USER', content: 'And if it rains?' },
    ],
    ...extra,
  };
  const { createSession } = await gql<{ createSession: { id?: string; message?: string } }>(
    url,
    'mutation($input: CreateSessionInput!) { createSession(input: $input) { ... on Session { id } ... on Error { message } } }',
    { input },
  );
  if (!createSession.id) throw new Error(createSession.message);
  return createSession.id;
}

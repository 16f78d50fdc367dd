/*
 * The bad-input corpus: requests a careless or hostile client sends. Each one must get a clear
 * error (an HTTP 4xx, or a GraphQL error with a code, or a typed error result) and change nothing.
 */

export interface BadRequest {
  name: string;
  method?: 'GET' | 'POST';
  /** Path and query string; /graphql by default. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const json = { 'content-type': 'application/json' };
const gql = (name: string, query: string, variables?: Record<string, unknown>): BadRequest => ({
  name,
  headers: json,
  body: JSON.stringify(variables === undefined ? { query } : { query, variables }),
});

const CREATE = 'mutation($input: CreateSessionInput!) { createSession(input: $input) { __typename } }';
const APPEND = 'mutation($id: ID!, $messages: [MessageInput!]!, $seq: Int) { appendMessages(sessionId: $id, messages: $messages, expectedSeq: $seq) { __typename } }';
const UPDATE = 'mutation($input: UpdateSessionInput!) { updateSession(id: "seed", input: $input) { __typename } }';
const IMPORT = 'mutation($doc: JSON!, $format: ExchangeFormat) { importSession(document: $doc, format: $format) { __typename } }';
const LIST = 'query($first: Int, $after: String, $filter: SessionFilter) { sessions(first: $first, after: $after, filter: $filter) { __typename } }';
const HISTORY = 'query($first: Int, $last: Int, $after: String, $before: String) { history(sessionId: "seed", first: $first, last: $last, after: $after, before: $before) { __typename } }';
const create = (name: string, input: Record<string, unknown>) => gql(name, CREATE, { input });
const append = (name: string, messages: unknown, seq?: unknown) => gql(name, APPEND, { id: 'seed', messages, ...(seq !== undefined && { seq }) });
const importing = (name: string, doc: unknown, format?: string) => gql(name, IMPORT, { doc, ...(format && { format }) });
const user = { role: 'USER', content: 'hello' };
const nested = (depth: number): Record<string, unknown> => (depth === 0 ? { leaf: 1 } : { next: nested(depth - 1) });
const parleyDoc = (patch: Record<string, unknown> = {}, message: Record<string, unknown> = {}) => ({
  format: 'parley.session',
  version: 1,
  session: {
    id: 'imported-bad',
    ownerId: null,
    title: null,
    model: null,
    systemPrompt: null,
    context: {},
    metadata: {},
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    forkedFrom: null,
    mergedFrom: [],
  },
  messages: [{ id: 'm1', seq: 1, role: 'user', content: 'x', name: null, metadata: {}, createdAt: '2026-01-01T00:00:00.000Z', clientId: null, ...message }],
  ...patch,
});
const ownDoc = (id: string, session: Record<string, unknown>, message: Record<string, unknown> = {}) =>
  parleyDoc({ session: { ...parleyDoc().session, id, ...session } }, message);
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const CORPUS: BadRequest[] = [
  // Broken bodies.
  { name: 'empty JSON body', headers: json, body: '' },
  { name: 'truncated JSON', headers: json, body: '{"query": "{ stats { __typename } }"' },
  { name: 'JSON with a missing value', headers: json, body: '{"query": }' },
  { name: 'JSON null', headers: json, body: 'null' },
  { name: 'JSON string', headers: json, body: '"{ stats { __typename } }"' },
  { name: 'JSON number', headers: json, body: '42' },
  { name: 'empty batch of operations', headers: json, body: '[]' },
  { name: 'batch of two', headers: json, body: JSON.stringify([{ query: '{ stats { __typename } }' }, { query: '{ stats { __typename } }' }]) },
  { name: 'query is a number', headers: json, body: '{"query": 5}' },
  { name: 'query is null', headers: json, body: '{"query": null}' },
  { name: 'no query at all', headers: json, body: '{"variables": {}}' },
  { name: 'variables is a string', headers: json, body: JSON.stringify({ query: '{ stats { __typename } }', variables: 'x' }) },
  { name: 'variables is an array', headers: json, body: JSON.stringify({ query: '{ stats { __typename } }', variables: [1] }) },
  { name: 'operationName is a number', headers: json, body: JSON.stringify({ query: '{ stats { __typename } }', operationName: 5 }) },
  { name: 'extensions is a string', headers: json, body: JSON.stringify({ query: '{ stats { __typename } }', extensions: 'x' }) },
  { name: 'NaN literal in JSON', headers: json, body: `{"query": "${CREATE.replace(/"/g, '\\"')}", "variables": {"input": {"metadata": {"n": NaN}}}}` },
  // Wrong content types.
  { name: 'text/plain body', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: CREATE, variables: { input: {} } }) },
  { name: 'form-encoded body', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `query=${encodeURIComponent('mutation { createSession(input: {}) { __typename } }')}` },
  { name: 'multipart body', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{}\r\n--x--' },
  { name: 'XML body', headers: { 'content-type': 'application/xml' }, body: '<query>{ stats { __typename } }</query>' },
  { name: 'no content type', headers: {}, body: JSON.stringify({ query: 'mutation { createSession(input: {}) { __typename } }' }) },
  { name: 'mutation over GET', method: 'GET', path: `/graphql?query=${encodeURIComponent('mutation { createSession(input: {}) { __typename } }')}`, headers: { 'x-graphql-yoga-csrf': '1' } },
  // Invalid UTF-8 and ill-formed Unicode.
  { name: 'invalid UTF-8 byte', headers: json, body: Buffer.concat([Buffer.from(`{"query": "${CREATE.replace(/"/g, '\\"')}", "variables": {"input": {"title": "`), Buffer.from([0xff, 0xfe]), Buffer.from('"}}}')]) },
  { name: 'overlong UTF-8 encoding', headers: json, body: Buffer.concat([Buffer.from(`{"query": "${CREATE.replace(/"/g, '\\"')}", "variables": {"input": {"title": "`), Buffer.from([0xc0, 0xaf]), Buffer.from('"}}}')]) },
  { name: 'truncated UTF-8 sequence', headers: json, body: Buffer.concat([Buffer.from(`{"query": "${CREATE.replace(/"/g, '\\"')}", "variables": {"input": {"title": "`), Buffer.from([0xe2, 0x82]), Buffer.from('"}}}')]) },
  { name: 'lone surrogate in content', headers: json, body: `{"query": "${APPEND.replace(/"/g, '\\"')}", "variables": {"id": "seed", "messages": [{"role": "USER", "content": "\\ud800"}]}}` },
  { name: 'lone surrogate in a metadata key', headers: json, body: `{"query": "${CREATE.replace(/"/g, '\\"')}", "variables": {"input": {"metadata": {"\\udc00": 1}}}}` },
  // GraphQL syntax and validation.
  gql('syntax error', '{ stats { __typename }'),
  gql('unknown field', '{ nope }'),
  gql('unknown argument', '{ session(id: "seed", extra: 1) { id } }'),
  gql('missing required argument', '{ session { id } }'),
  gql('unknown enum value', 'mutation { appendMessage(sessionId: "seed", message: { role: ROBOT, content: "x" }) { __typename } }'),
  gql('enum given as a string literal', 'mutation { appendMessage(sessionId: "seed", message: { role: "USER", content: "x" }) { __typename } }'),
  gql('string for an Int', '{ sessions(first: "ten") { __typename } }'),
  gql('float for an Int', '{ sessions(first: 1.5) { __typename } }'),
  gql('Int over 32 bits', '{ sessions(first: 3000000000) { __typename } }'),
  gql('unknown input field', 'mutation { createSession(input: { colour: "red" }) { __typename } }'),
  gql('fragment on a type that cannot apply', '{ stats { ... on Session { id } } }'),
  gql('undefined variable', 'query { session(id: $id) { id } }'),
  gql('variable of the wrong type', 'query($id: Int) { session(id: $id) { id } }'),
  { name: 'unknown operationName', headers: json, body: JSON.stringify({ query: 'query A { stats { __typename } }', operationName: 'B' }) },
  gql('two operations and no operationName', 'query A { stats { __typename } } query B { stats { __typename } }'),
  gql('unknown directive', '{ stats @later { __typename } }'),
  gql('duplicate argument', '{ session(id: "a", id: "b") { id } }'),
  {
    name: 'subscription asked for as plain JSON',
    headers: { ...json, accept: 'application/json' },
    body: JSON.stringify({ query: 'subscription { messageAdded(sessionId: "seed") { seq } }' }),
  },
  gql('selection on a scalar', '{ session(id: "seed") { id { x } } }'),
  gql('object without a selection', '{ session(id: "seed") }'),
  gql('required variable missing', 'mutation($input: CreateSessionInput!) { createSession(input: $input) { __typename } }', {}),
  gql('null for a required variable', CREATE, { input: null }),
  gql('variable with an unknown field', CREATE, { input: { colour: 'red' } }),
  { name: 'Infinity for an Int variable', headers: json, body: `{"query": "${LIST.replace(/"/g, '\\"')}", "variables": {"first": 1e400}}` },
  gql('NaN as a string for an Int variable', LIST, { first: 'NaN' }),
  gql('object for an ID', '{ session(id: {a: 1}) { id } }'),
  // Wrong types and bad values in inputs.
  create('caller id with spaces', { id: 'no spaces allowed' }),
  create('caller id too long', { id: 'x'.repeat(200) }),
  create('title of the wrong type', { title: 42 }),
  create('metadata as an array', { metadata: [1, 2] }),
  create('metadata as a string', { metadata: 'meta' }),
  create('context as a number', { context: 7 }),
  create('metadata nested 50 deep', { metadata: nested(50) }),
  create('metadata with 10,000 keys', { metadata: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])) }),
  create('metadata of 100 KB', { metadata: { blob: 'x'.repeat(100_000) } }),
  create('context of 200 KB', { context: { blob: 'x'.repeat(200_000) } }),
  create('title too long', { title: 't'.repeat(1000) }),
  create('system prompt too long', { systemPrompt: 'p'.repeat(100_001) }),
  create('model name too long', { model: 'm'.repeat(300) }),
  create('initial message with an unknown role', { messages: [{ role: 'ROBOT', content: 'x' }] }),
  create('initial message without content', { messages: [{ role: 'USER' }] }),
  append('content too long', [{ role: 'USER', content: 'c'.repeat(100_001) }]),
  append('empty batch', []),
  append('batch over the limit', Array.from({ length: 501 }, () => user)),
  append('empty clientId', [{ ...user, clientId: '' }]),
  append('clientId repeated in one batch', [{ ...user, clientId: 'same' }, { ...user, clientId: 'same' }]),
  append('clientId too long', [{ ...user, clientId: 'c'.repeat(200) }]),
  append('name too long', [{ ...user, name: 'n'.repeat(300) }]),
  append('message metadata as an array', [{ ...user, metadata: [] }]),
  append('negative expectedSeq', [user], -1),
  append('expectedSeq as a string', [user], 'three'),
  append('stale expectedSeq', [user], 0),
  append('unknown field in a message', [{ ...user, mood: 'happy' }]),
  gql('append to an unknown session', APPEND, { id: 'no-such-session', messages: [user] }),
  gql('update with expectedVersion 0', UPDATE, { input: { expectedVersion: 0 } }),
  gql('update with a stale expectedVersion', UPDATE, { input: { title: 'x', expectedVersion: 99 } }),
  gql('update with an unknown mode', UPDATE, { input: { mode: 'MIX' } }),
  gql('copy up to a negative seq', 'mutation { copySession(id: "seed", upToSeq: -1) { __typename } }'),
  gql('copy beyond the last seq', 'mutation { copySession(id: "seed", upToSeq: 999) { __typename } }'),
  gql('merge of one session', 'mutation { mergeSessions(ids: ["seed"]) { __typename } }'),
  gql('merge of the same session twice', 'mutation { mergeSessions(ids: ["seed", "seed"]) { __typename } }'),
  gql('merge of too many sessions', `mutation { mergeSessions(ids: [${Array.from({ length: 21 }, (_, i) => `"s${i}"`).join(',')}]) { __typename } }`),
  gql('user with an empty name', 'mutation { upsertUser(input: { name: "" }) { __typename } }'),
  gql('user profile too long', 'mutation($p: String) { upsertUser(input: { name: "x", profile: $p }) { __typename } }', { p: 'p'.repeat(10_001) }),
  gql('metadata filter with an object value', LIST, { filter: { metadata: { a: { b: 1 } } } }),
  gql('title filter too long', LIST, { filter: { titleContains: 't'.repeat(600) } }),
  gql('invalid date in a filter', LIST, { filter: { createdAfter: 'yesterday' } }),
  gql('number for a date in a filter', LIST, { filter: { createdAfter: 1700000000 } }),
  gql('date after year 9999 in a filter', LIST, { filter: { createdAfter: '9999-12-31T23:30:00-01:00' } }),
  // Cursors and page sizes.
  gql('session cursor that is not base64', LIST, { after: '!!!' }),
  gql('session cursor of garbage', LIST, { after: 'abc' }),
  gql('session cursor made for another order', LIST, { after: forged(['s', 'CREATED_AT', 'ASC', 0, 'seed']) }),
  gql('session cursor of the wrong shape', LIST, { after: forged({ at: 1, id: 'x' }) }),
  gql('session cursor with a non-numeric time', LIST, { after: forged(['s', 'UPDATED_AT', 'DESC', 'then', 'seed']) }),
  gql('history cursor that is not a seq', HISTORY, { after: 'abc' }),
  gql('negative history cursor', HISTORY, { before: '-5' }),
  gql('history cursor in exponent form', HISTORY, { after: '1e3' }),
  gql('user cursor forged', 'query { users(after: "zzz") { __typename } }'),
  gql('negative first', LIST, { first: -1 }),
  gql('first over the page limit', LIST, { first: 101 }),
  gql('last of a thousand', HISTORY, { last: 1000 }),
  gql('first and last together', HISTORY, { first: 5, last: 5 }),
  gql('negative page of users', 'query { users(first: -5) { __typename } }'),
  gql('negative lastN', 'query { session(id: "seed") { modelMessages(lastN: -1) { role } } }'),
  // Broken import documents, of every format.
  importing('import of a number', 42),
  importing('import of null', null),
  importing('import of a string', 'a conversation'),
  importing('import of an unknown format', { format: 'other.session', version: 1 }),
  importing('Parley document of a newer version', parleyDoc({ version: 2 })),
  importing('Parley document without a session', parleyDoc({ session: undefined })),
  importing('Parley document with seqs going down', { ...parleyDoc(), messages: [{ ...parleyDoc().messages[0], seq: 2 }, { ...parleyDoc().messages[0], id: 'm0', seq: 1 }] }),
  importing('Parley document with repeated message ids', { ...parleyDoc(), messages: [parleyDoc().messages[0], { ...parleyDoc().messages[0], seq: 2 }] }),
  importing('Parley document with a bad date', parleyDoc({}, { createdAt: 'last Tuesday' })),
  // Each under its own id, so that one stored by mistake cannot hide the next behind ID_TAKEN.
  importing('Parley document with a seq over 32 bits', ownDoc('big-seq', {}, { seq: 2 ** 31 })),
  importing('Parley document with a seq that leaves no room to append', ownDoc('full-seq', {}, { seq: 2 ** 31 - 1 })),
  importing('Parley document with a version over 32 bits', ownDoc('big-version', { version: 2 ** 31 })),
  importing('Parley document forked at a seq over 32 bits', ownDoc('big-fork', { forkedFrom: { sessionId: 'seed', seq: 2 ** 31 } })),
  importing('Parley document with a date after year 9999', ownDoc('late', {}, { createdAt: '9999-12-31T23:30:00-01:00' })),
  importing('Parley document with a date before year 0', ownDoc('early', { updatedAt: '0000-01-01T00:30:00+01:00' })),
  importing('SDK file with a timestamp after year 9999', { messages: [{ role: 'user', content: 'x', timestamp: '9999-12-31T22:00:00-04:00' }] }),
  importing('Parley document with an unknown field', parleyDoc({ comments: [] })),
  importing('Parley document with an unknown role', parleyDoc({}, { role: 'robot' })),
  importing('Parley document with content too long', parleyDoc({}, { content: 'c'.repeat(100_001) })),
  importing('SDK file whose messages are not a list', { id: 'sdk-bad', messages: 'none' }),
  importing('SDK file with a message without content', { messages: [{ role: 'user' }] }),
  importing('SDK file with an unknown role', { messages: [{ role: 'robot', content: 'x' }] }),
  importing('SDK file with a bad timestamp', { messages: [{ role: 'user', content: 'x', timestamp: 'soon' }] }),
  importing('SDK file with an unknown field', { messages: [], owner: 'x' }),
  importing('SDK file with an id that is not an id', { id: 'has spaces', messages: [] }),
  importing('empty chat list', []),
  importing('chat list with an image part', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }]),
  importing('chat list with a legacy function role', [{ role: 'function', content: 'x' }]),
  importing('chat list with numeric content', [{ role: 'user', content: 42 }]),
  importing('chat list whose tool_calls is not a list', [{ role: 'assistant', content: null, tool_calls: 'call' }]),
  importing('chat list given as the SDK format', [{ role: 'user', content: 'x' }], 'SDK'),
];

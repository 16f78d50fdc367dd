import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import { declaredLength } from './plugins/body-limit.js';
import { mediaType } from './plugins/cross-site.js';
import { parseJsonBody, readsStrictly, readStrictJson } from './plugins/strict-body.js';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** The listener, with how many requests each path answered (lean, or handed to yoga). */
export type LeanListener = Listener & {
  readonly answered: { lean: number; yoga: number };
  /** Whether the lean path skips the hooks that do nothing for its requests (LeanHttpOptions.direct). */
  readonly direct: boolean;
};
type Hook = (payload: Record<string, unknown>) => unknown;
type Processor = (result: unknown, fetchAPI: unknown, mediaType: string) => unknown;

/** The parts of a yoga instance the lean path drives: public on the class, or internal and typed here. */
interface YogaInternals {
  plugins: { onRequest?: Hook; onResponse?: Hook; instrumentation?: unknown }[];
  onRequestParseHooks: Hook[];
  onResultProcessHooks: Hook[];
  getResultForParams(payload: { params: Record<string, unknown>; request: unknown }, context: object): ExecutionResult | Promise<ExecutionResult>;
  maskedErrorsOpts: { maskError(error: unknown, message: string, isDev?: boolean): Error; errorMessage: string; isDev?: boolean } | null;
  logger: { error(...args: unknown[]): void; debug(...args: unknown[]): void };
  fetchAPI: Record<string, unknown>;
  waitUntil(promise: Promise<unknown>): void;
}

export interface LeanHttpOptions {
  /** The GraphQL endpoint's path, exactly (a query string sends the request to yoga's path). */
  endpoint: string;
  /** The body limit (MAX_BODY_BYTES): a larger body goes to yoga's path, which refuses it. */
  maxBodyBytes: number;
  /**
   * The plugins given to yoga, and those of them (`inert`) that do nothing for a request the lean
   * path answers, or whose check leanLength makes (cross-site policy, strict body, body limit, a
   * console or readiness endpoint). With them, the lean path runs only the onRequest hooks of the
   * other plugins given, and skips yoga's own (health check, CORS preflight, GraphiQL, unhandled
   * route: none answers a JSON POST to the endpoint) and every onRequestParse hook (yoga's request
   * parsers and method check; its parameter check runs again as an onParams hook). If a plugin
   * given and not inert has an onRequestParse hook, every hook runs. Without them, every hook runs.
   */
  direct?: { plugins: readonly object[]; inert: readonly object[] } | undefined;
}

type PluginHooks = { onRequest?: Hook; onResponse?: Hook; onRequestParse?: unknown };

/** The onRequest and onResponse hooks a direct lean path runs (see LeanHttpOptions.direct), or null when it cannot skip the others. */
function directHooks(plugins: PluginHooks[], direct: LeanHttpOptions['direct']): { onRequest: Hook[]; onResponse: Hook[] } | null {
  if (!direct) return null;
  const inert = new Set<unknown>(direct.inert);
  const given = new Set<unknown>(direct.plugins);
  const active = plugins.filter((plugin) => !inert.has(plugin));
  // A plugin that is neither yoga's nor Parley's as given (envelop wrapped it?) stops the shortcut.
  if (direct.plugins.some((plugin) => !plugins.includes(plugin as PluginHooks))) return null;
  const own = active.filter((plugin) => given.has(plugin));
  if (own.some((plugin) => plugin.onRequestParse)) return null;
  return {
    onRequest: own.flatMap((plugin) => (plugin.onRequest ? [plugin.onRequest] : [])),
    // yoga's own onResponse hooks (CORS headers) run too.
    onResponse: active.flatMap((plugin) => (plugin.onResponse ? [plugin.onResponse] : [])),
  };
}

/**
 * The node:http listener for the common request: a `POST` of a JSON body to the GraphQL endpoint,
 * answered as JSON, without building a Fetch Request and Response. Anything else goes to yoga's
 * own listener untouched (`yoga(req, res)`), and so does any request the lean path finds unusual
 * once it has read the body (then with the bytes it read): see `leanLength` and `plainParams`.
 *
 * A lean request passes the same plugins in the same order as on yoga's path; only the objects
 * differ (`RequestView` for the Request, `RecordedResponse` for the Response). The steps:
 *  1. read the body (its length is declared and within the limit: useRequestBodyLimit's check);
 *  2. parse it with parseJsonBody (useStrictJsonBody's parser); an error hands over to yoga,
 *     which answers it exactly as before;
 *  3. run every plugin's onRequest hook (metrics start, ...), as yoga's server adapter does;
 *  4. the onRequestParse hooks (cross-site policy, strict body, body limit, introspection off)
 *     and their onRequestParseDone; the parser they pick is useStrictJsonBody's, whose answer
 *     step 2 has already;
 *  5. yoga's getResultForParams: the onParams hooks, then parse, validate, contextFactory
 *     (authentication, request id) and execute through `getEnveloped()`, then onExecutionResult;
 *  6. the onResultProcess hooks (metrics, request error log, yoga's result processors), then the
 *     processor they chose, yoga's processRegularResult (status from the errors, serialization);
 *     a failure in steps 4 to 6 becomes a masked error result, processed again, as yoga's handle does;
 *  7. every plugin's onResponse hook (CORS headers, x-request-id, metrics end);
 *  8. write status, headers and body.
 * A hook for tracing or logging belongs in a plugin's onRequest/onResponse, which both paths run.
 * With a plugin that brings `instrumentation` (which yoga's adapter wraps around the whole
 * request) there is no lean path: every request goes to yoga.
 */
// `any`: the lean path works with any yoga instance and reads no context type.
export function createLeanListener(yoga: YogaServerInstance<any, any>, options: LeanHttpOptions): LeanListener {
  const internals = yoga as unknown as YogaInternals;
  const answered = { lean: 0, yoga: 0 };
  const fallback: Listener = (req, res) => {
    answered.yoga++;
    (yoga as unknown as Listener)(req, res);
  };
  const plugins = internals.plugins.filter(Boolean);
  if (plugins.some((plugin) => plugin.instrumentation)) return Object.assign(fallback, { answered, direct: false });
  const onRequest = plugins.flatMap((plugin) => (plugin.onRequest ? [plugin.onRequest] : []));
  const onResponse = plugins.flatMap((plugin) => (plugin.onResponse ? [plugin.onResponse] : []));
  const { onRequestParseHooks, onResultProcessHooks, fetchAPI } = internals;
  const getResultForParams = internals.getResultForParams.bind(internals);
  const waitUntil = internals.waitUntil.bind(internals);
  const recordingFetchAPI = { ...fetchAPI, Response: RecordedResponse };

  const handOver = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    // yoga's adapter takes a body already read from `req.body` (as when a framework parsed it),
    // if it has an own key. Not as a Buffer: it would count the keys, one per byte.
    (req as IncomingMessage & { body?: unknown }).body = new ReadBody(body);
    fallback(req, res);
  };

  const direct = directHooks(plugins, options.direct);
  const requestHooks = direct?.onRequest ?? onRequest;
  const responseHooks = direct?.onResponse ?? onResponse;

  async function serve(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    let params: Record<string, unknown>;
    try {
      params = parseJsonBody(body);
    } catch {
      return handOver(req, res, body);
    }
    if (!plainParams(params)) return handOver(req, res, body);
    answered.lean++;
    const request = new RequestView(req, res);
    const exchange = new Exchange(request, { req, res, waitUntil }, fetchAPI);

    for (const hook of requestHooks) {
      const done = hook(exchange as unknown as Record<string, unknown>);
      if (done) await done;
      if (exchange.early) break;
    }

    exchange.response = exchange.early ?? (await (direct ? answerDirect(request, params, exchange.serverContext) : answer(request, params, body, exchange.serverContext)));
    for (const hook of responseHooks) {
      const done = hook(exchange as unknown as Record<string, unknown>);
      if (done) await done;
    }
    await write(res, exchange.response);
  }

  /** The direct path's handle: the request parsers' checks are made (leanLength) and the body is parsed. */
  async function answerDirect(request: RequestView, params: Record<string, unknown>, serverContext: object): Promise<RecordedResponse> {
    try {
      // yoga's parseRequest says so, at debug level, before it runs the parser.
      internals.logger.debug('Parsing request to extract GraphQL parameters');
      const result = await getResultForParams({ params, request }, serverContext);
      return await processResult(request, result, serverContext);
    } catch (error) {
      return processResult(request, { errors: handleError(internals, error) }, serverContext);
    }
  }

  /** yoga's handle, from the request parsers on: any failure is answered as an error result, as there. */
  async function answer(request: RequestView, preparsed: Record<string, unknown>, body: Buffer, serverContext: object): Promise<RecordedResponse | Response> {
    try {
      let parser: ((request: Request) => unknown) | undefined;
      let early: Response | undefined;
      const parsed: Hook[] = [];
      for (const hook of onRequestParseHooks) {
        let done = hook({
          request,
          get url() {
            return request.parsedUrl;
          },
          requestParser: parser,
          serverContext,
          setRequestParser: (next: typeof parser) => void (parser = next),
          endResponse: (response: Response) => void (early = response),
          fetchAPI,
        }) as { onRequestParseDone?: Hook } | Promise<{ onRequestParseDone?: Hook } | undefined> | undefined;
        if (done instanceof Promise) done = await done;
        if (done?.onRequestParseDone) parsed.push(done.onRequestParseDone);
        if (early) return early;
      }
      if (!parser) return new RecordedResponse(null, { status: 415, statusText: 'Unsupported Media Type' });
      // Read already, with the parser useStrictJsonBody sets; another parser gets the bytes as a Request.
      let params = parser === readStrictJson ? preparsed : ((await parser(request.withBody(fetchAPI, body))) as Record<string, unknown>);
      for (const hook of parsed) {
        const done = hook({ requestParserResult: params, setRequestParserResult: (next: typeof params) => void (params = next) });
        if (done) await done;
      }
      const result = await getResultForParams({ params, request }, serverContext);
      return await processResult(request, result, serverContext);
    } catch (error) {
      return processResult(request, { errors: handleError(internals, error) }, serverContext);
    }
  }

  /** yoga's processResult, with a Response that only records what it is given. */
  async function processResult(request: RequestView, result: unknown, serverContext: object): Promise<RecordedResponse> {
    const step = new ResultStep(request, result, serverContext);
    for (const hook of onResultProcessHooks) {
      const done = hook(step as unknown as Record<string, unknown>);
      if (done) await done;
    }
    const processor = step.resultProcessor;
    if (!processor) {
      return new RecordedResponse(null, { status: 406, statusText: 'Not Acceptable', headers: { accept: step.acceptableMediaTypes.join('; charset=utf-8, ') } });
    }
    // leanLength admits only requests whose Accept makes this processRegularResult, which never streams.
    if (processor !== processRegularResult) throw new Error(`the lean HTTP path chose a streaming result processor for ${step.accepted}`);
    return (await processor(step.result, recordingFetchAPI, step.accepted)) as RecordedResponse;
  }

  const listener: Listener = (req, res) => {
    const length = leanLength(req, options);
    if (length === null) return fallback(req, res);
    readBody(req, length).then(
      (body) =>
        serve(req, res, body).catch((error: unknown) => {
          internals.logger.error(error);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        }),
      () => res.destroy(),
    );
  };
  return Object.assign(listener, { answered, direct: direct !== null });
}

/**
 * The declared body length of a request the lean path can answer, or null for yoga's path: a
 * POST to exactly the endpoint, with a JSON body that both useCrossSitePolicy and
 * useStrictJsonBody accept, of a declared length within the limit, whose Accept header lets yoga
 * answer a single result as JSON.
 */
function leanLength(req: IncomingMessage, { endpoint, maxBodyBytes }: LeanHttpOptions): number | null {
  if (req.method !== 'POST' || req.url !== endpoint) return null;
  const { headers } = req;
  const type = headers['content-type'];
  if (type === undefined || mediaType(type) !== 'application/json' || !readsStrictly(type)) return null;
  const declared = headers['content-length'];
  if (declared === undefined || headers['transfer-encoding'] !== undefined) return null;
  let length: number;
  try {
    length = declaredLength(declared, maxBodyBytes);
  } catch {
    return null;
  }
  return length > 0 && answersJson(headers.accept) ? length : null;
}

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

/**
 * Whether yoga's result processors answer a single (not streamed) result with JSON: its regular
 * processor, tried last, wins whenever one of the accepted media types (UTF-8 only, as yoga reads
 * them) matches a JSON type. A subscription is handed over before it runs (plainParams).
 */
export function answersJson(accept: string | undefined): boolean {
  if (accept === undefined || accept === 'application/json') return true;
  for (const entry of accept.replace(/\s/g, '').toLowerCase().split(',')) {
    const [type = '', ...parameters] = entry.split(';');
    const charset = parameters.find((p) => p.includes('charset='));
    if (charset !== undefined && charset !== 'charset=utf-8') continue;
    const [pre, suf] = type.split('/');
    if (JSON_TYPES.some((json) => (pre === '*' || json.startsWith(`${pre}/`)) && (suf === '*' || json.endsWith(`/${suf}`)))) return true;
  }
  return false;
}

const PARAMS = new Set(['query', 'variables', 'operationName', 'extensions']);
const SUBSCRIPTION = /\bsubscription\b/;

/**
 * Parameters that yoga's own checks accept, of an operation that is not a subscription (one that
 * may be, because the word appears, goes to yoga's path, which may answer it with a stream).
 * Anything else goes to yoga's path too, which refuses it in its own words.
 */
function plainParams(params: Record<string, unknown>): boolean {
  const { query, variables, operationName, extensions } = params;
  if (typeof query !== 'string' || SUBSCRIPTION.test(query)) return false;
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return false;
  if (extensions != null && (typeof extensions !== 'object' || Array.isArray(extensions))) return false;
  if (operationName != null && typeof operationName !== 'string') return false;
  for (const key in params) if (params[key] != null && !PARAMS.has(key)) return false;
  return true;
}

/** yoga's handleError, for the masked errors Parley always has: every error masked, each one logged when the mask changed it. */
function handleError(internals: YogaInternals, error: unknown): Error[] {
  if (error instanceof AggregateError) return error.errors.flatMap((each: unknown) => handleError(internals, each));
  if (error instanceof Error && error.name === 'AbortError') return [];
  const options = internals.maskedErrorsOpts;
  if (!options) return [error instanceof Error ? error : new Error(String(error))];
  const masked = options.maskError(error, options.errorMessage, options.isDev);
  if (masked !== error) internals.logger.error(error);
  return [masked];
}

const unsupported = (name: string) => () => {
  throw new Error(`${name} is not available on the lean HTTP path: turn it off with LEAN_HTTP=false`);
};

/**
 * The payload of the onRequest and onResponse hooks of one request: one object for both phases,
 * whose setters are made by functions (see setter), so that a request allocates little.
 */
class Exchange {
  early: Response | RecordedResponse | undefined;
  response: Response | RecordedResponse | undefined;
  readonly endResponse: (response: Response) => void;
  readonly setResponse: (response: Response) => void;
  readonly setRequest = unsupportedSetRequest;
  readonly setRequestHandler = unsupportedSetRequestHandler;
  constructor(
    readonly request: RequestView,
    readonly serverContext: object,
    readonly fetchAPI: Record<string, unknown>,
  ) {
    this.endResponse = setter(this, 'early');
    this.setResponse = setter(this, 'response');
  }
  get url(): URL {
    return this.request.parsedUrl;
  }
}

/** The payload of the onResultProcess hooks, as yoga's processResult builds it. */
class ResultStep {
  resultProcessor: Processor | undefined;
  accepted = '*/*';
  readonly acceptableMediaTypes: string[] = [];
  readonly setResult: (result: unknown) => void;
  readonly setResultProcessor: (processor: Processor, type: string) => void;
  constructor(
    readonly request: RequestView,
    public result: unknown,
    readonly serverContext: object,
  ) {
    this.setResult = setter(this, 'result');
    this.setResultProcessor = processorSetter(this);
  }
}

// Made by functions, anonymous: under tsx (the bench, npm run dev) a named function expression
// is named at creation (esbuild's keepNames), which cost the lean path 38 µs per request.
function setter<T, K extends keyof T>(target: T, key: K): (value: T[K]) => void {
  return (value) => void (target[key] = value);
}
function processorSetter(step: ResultStep): ResultStep['setResultProcessor'] {
  return (processor, type) => void ((step.resultProcessor = processor), (step.accepted = type));
}
const unsupportedSetRequest = unsupported('setRequest');
const unsupportedSetRequestHandler = unsupported('setRequestHandler');

/** A body read already, handed to yoga's adapter as the async iterable it takes for a body. */
class ReadBody {
  constructor(readonly bytes: Buffer) {}
  async *[Symbol.asyncIterator]() {
    yield this.bytes;
  }
}

/** The body, exactly `length` bytes (Node's parser delivers no more than Content-Length). */
function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const body = Buffer.allocUnsafe(length);
    let read = 0;
    req.on('data', (chunk: Buffer) => {
      chunk.copy(body, read);
      read += chunk.length;
    });
    req.once('end', () => (read === length ? resolve(body) : reject(new Error('incomplete body'))));
    req.once('error', reject);
  });
}

/**
 * What the hooks read of a Fetch Request, over Node's request: method, URL and headers (as
 * yoga's adapter builds them: Node's header object). The body has been read already.
 */
class RequestView {
  readonly method = 'POST';
  readonly url: string;
  readonly headers: NodeHeaders;
  #signal: AbortSignal | undefined;
  #url: URL | undefined;
  readonly #res: ServerResponse;
  readonly #headers: Record<string, string>;

  constructor(req: IncomingMessage, res: ServerResponse) {
    this.url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
    this.#res = res;
    this.#headers = req.headers as Record<string, string>;
    this.headers = new NodeHeaders(req.headers);
  }

  /** The URL, parsed once when a hook first asks for it. */
  get parsedUrl(): URL {
    return (this.#url ??= new URL(this.url));
  }

  /** A Fetch Request with this method, URL and headers and the body read, for a parser that wants one. */
  withBody(fetchAPI: Record<string, unknown>, body: Buffer): Request {
    const Ctor = fetchAPI.Request as typeof Request;
    return new Ctor(this.url, { method: this.method, headers: this.#headers, body: new Uint8Array(body) });
  }

  /** Aborts when the connection closes before the answer is written, as the adapter's does. */
  get signal(): AbortSignal {
    if (!this.#signal) {
      const controller = new AbortController();
      const res = this.#res;
      res.once('close', () => void (res.writableFinished || controller.abort()));
      this.#signal = controller.signal;
    }
    return this.#signal;
  }
}

/** A Fetch Headers' get and has, over Node's header object (names in lower case). */
class NodeHeaders {
  constructor(readonly raw: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
}

/**
 * The headers of a RecordedResponse: what the hooks do with a Fetch Headers. Names keep the case
 * they were given in, as on the wire of yoga's path.
 */
class RecordedHeaders {
  readonly #map = new Map<string, [name: string, value: string]>();
  constructor(init: Record<string, string> = {}) {
    for (const name in init) this.#map.set(name.toLowerCase(), [name, String(init[name])]);
  }
  get(name: string): string | null {
    return this.#map.get(name.toLowerCase())?.[1] ?? null;
  }
  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#map.set(key, [this.#map.get(key)?.[0] ?? key, String(value)]);
  }
  append(name: string, value: string): void {
    const known = this.get(name);
    this.set(name, known === null ? value : `${known}, ${value}`);
  }
  delete(name: string): void {
    this.#map.delete(name.toLowerCase());
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [name, value] of this.#map.values()) fn(value, name);
  }
}

/**
 * The Response yoga's regular result processor builds, kept as the text and init it was given,
 * with the Content-Length that @whatwg-node's Response adds to a text body.
 */
class RecordedResponse {
  readonly status: number;
  readonly statusText: string | undefined;
  readonly headers: RecordedHeaders;
  constructor(
    readonly text: string | null,
    init: { status?: number; statusText?: string; headers?: Record<string, string> } = {},
  ) {
    this.status = init.status ?? 200;
    this.statusText = init.statusText;
    this.headers = new RecordedHeaders(init.headers);
    if (text !== null && !this.headers.has('content-length')) this.headers.set('content-length', String(Buffer.byteLength(text)));
  }
}

async function write(res: ServerResponse, response: RecordedResponse | Response): Promise<void> {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => void (headers[name] = value));
  const body = response instanceof RecordedResponse ? response.text : await response.text();
  if (response.statusText) res.writeHead(response.status, response.statusText, headers);
  else res.writeHead(response.status, headers);
  res.end(body ?? undefined);
}


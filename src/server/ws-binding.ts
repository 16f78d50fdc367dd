import type { IncomingMessage } from 'node:http';
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../log.js';

/**
 * Bytes a socket may hold unsent before a send waits for its write to finish. Below it a send is
 * fire-and-forget (a Promise and a write callback per event cost a fan-out to 10,000
 * subscribers a tenth of its CPU); above it the send waits, so graphql-ws stops taking events
 * from a client that does not read and that client's queue fills until it is cut as too slow.
 */
const SEND_HIGH_WATER = 64 * 1024;

/**
 * Serves the graphql-transport-ws protocol (graphql-ws's makeServer, with `options`) on the sockets
 * of `wss`, pinging every `keepAliveMs`.
 * graphql-ws ships such a binding for `ws`, but it prints every socket error to the console with
 * a stack as an "internal error": a client that vanishes mid-send (EPIPE, ECONNRESET) or sends a
 * message over the size limit is the client's doing, not the server's, and belongs in the log as
 * one INFO line. Parley's own failures while handling a message are logged as errors.
 */
export function bindGraphqlWs<E extends { socket: WebSocket; request: IncomingMessage }>(
  options: ServerOptions<Record<string, unknown> | undefined, E>,
  wss: WebSocketServer,
  { keepAliveMs, logger }: { keepAliveMs: number; logger: Logger },
) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('error', (error) => logger.error('WebSocket server error', { error: error.message }));
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // ws closes the socket itself after such an error (1009 for a message too large, or the
    // connection is gone): nothing to do but say what happened.
    socket.on('error', (error: Error & { code?: string }) =>
      logger.info('WebSocket connection failed', { code: error.code ?? null, error: error.message }),
    );
    let pongWait: NodeJS.Timeout | null = null;
    const ping =
      keepAliveMs > 0 && Number.isFinite(keepAliveMs)
        ? setInterval(() => {
            if (socket.readyState !== socket.OPEN) return;
            pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
            socket.once('pong', () => {
              if (pongWait) clearTimeout(pongWait);
              pongWait = null;
            });
            socket.ping();
          }, keepAliveMs)
        : null;
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          // A failed send means the connection is going: its error is reported once, above.
          if (socket.bufferedAmount < SEND_HIGH_WATER) return void socket.send(data);
          return new Promise<void>((resolve) => socket.send(data, () => resolve()));
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              logger.error('unexpected error handling a WebSocket message', { error: error instanceof Error ? error.message : String(error), stack: (error as Error | undefined)?.stack });
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request } as E,
    );
    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      if (ping) clearInterval(ping);
      void closed(code, String(reason));
    });
  });
  return {
    /** Closes every client with 1001 (going away), then the WebSocket server. */
    async dispose(): Promise<void> {
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

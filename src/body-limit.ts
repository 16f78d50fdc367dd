import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/**
 * Refuses request bodies over `maxBytes` (413) before anything reads them, and bodies of unknown
 * length (411), since a chunked body could only be measured while it is being read.
 */
export function limitBodies(handler: RequestListener, maxBytes: number): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const length = req.headers['content-length'];
    if (req.headers['transfer-encoding'] && length === undefined) return refuse(req, res, 411, 'Length Required: send the body with a Content-Length');
    if (length !== undefined && Number(length) > maxBytes) return refuse(req, res, 413, `Payload Too Large: at most ${maxBytes} bytes`);
    handler(req, res);
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'LENGTH_REQUIRED' } }] });
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  req.resume();
}

import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** Bodies larger than this are refused with 413 before the handler runs. Default 65 536 bytes. */
  maxBodyBytes?: number;
}

function sendJson(res: ServerResponse, status: number, code: string, message: string, close = false) {
  if (res.headersSent) return res.end();
  const text = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/**
 * Adapts a web-standard `(request: Request) => Promise<Response>` handler (such as `createTokenHandler`'s)
 * to Node's `http.createServer` / Express / Connect `(req, res)` signature.
 *
 * The body is buffered (up to `maxBodyBytes`) before the handler runs; a client that goes away
 * aborts `request.signal`. Behind a body parser that already consumed the stream, the parsed
 * `req.body` is passed on (re-serialised as JSON).
 *
 * @example
 * createServer(toNodeHandler(createTokenHandler({ ... }))).listen(8787);
 * // Express: app.post('/api/coplay-token', toNodeHandler(handler));
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const max = options.maxBodyBytes ?? 65_536;
  return (req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client went away'));
    });

    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;

    const run = async () => {
      const headers = new Headers();
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        // Hop-by-hop headers mean nothing once the body is buffered.
        if (/^(connection|keep-alive|transfer-encoding|upgrade|host)$/i.test(name)) continue;
        headers.append(name, req.rawHeaders[i + 1]!);
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      } catch {
        url = new URL(req.url ?? '/', 'http://localhost');
      }
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const request = new Request(url, {
        method,
        headers,
        signal: controller.signal,
        ...(hasBody ? { body: Buffer.concat(chunks, size) } : {}),
      });
      const response = await handler(request);
      res.statusCode = response.status;
      response.headers.forEach((value, name) => {
        if (name !== 'set-cookie') res.setHeader(name, value);
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader('set-cookie', cookies);
      res.end(method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer()));
    };

    if (req.readableEnded) {
      // A body parser (express.json(), ...) already read the stream: rebuild the body from what it parsed.
      const parsed = (req as IncomingMessage & { body?: unknown }).body;
      const body =
        parsed === undefined ? Buffer.alloc(0) : Buffer.isBuffer(parsed) ? parsed : Buffer.from(typeof parsed === 'string' ? parsed : JSON.stringify(parsed));
      if (body.length > max) return sendJson(res, 413, 'BODY_TOO_LARGE', `Body is larger than ${max} bytes`);
      chunks.push(body);
      size = body.length;
      run().catch(() => sendJson(res, 500, 'INTERNAL', 'Internal error'));
      return;
    }

    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > max) {
        refused = true;
        chunks.length = 0;
        // Answer now and close, rather than read an oversized upload to the end.
        sendJson(res, 413, 'BODY_TOO_LARGE', `Body is larger than ${max} bytes`, true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!refused) sendJson(res, 400, 'INVALID_BODY', 'Request body could not be read');
      refused = true;
    });
    req.on('end', () => {
      if (refused) return;
      run().catch(() => sendJson(res, 500, 'INTERNAL', 'Internal error'));
    });
  };
}

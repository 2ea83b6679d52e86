import { Agent, request } from 'node:http';
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent exactly as given: not normalized, not encoded (`/v1/work-orders/..%2Fx`). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * HTTP as a misbehaving client sends it: paths as typed (fetch would resolve `..` and encode),
 * any header, any body. Keeps `concurrency` connections open to the one server.
 */
export function rawClient(baseUrl: string, concurrency = 8) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

  const send = (sent: RawRequest, timeoutMs = 20_000): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const body = sent.body === undefined ? undefined : Buffer.from(sent.body);
      const outgoing = request(
        {
          host: hostname,
          port: Number(port),
          method: sent.method,
          path: sent.path,
          agent,
          headers: {
            ...(body ? { 'content-length': String(body.length) } : {}),
            ...sent.headers,
          },
          timeout: timeoutMs,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              headers: Object.fromEntries(
                Object.entries(incoming.headers).map(([name, value]) => [
                  name,
                  Array.isArray(value) ? value.join(', ') : (value ?? ''),
                ]),
              ),
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          incoming.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`No answer within ${timeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  return { send, close: () => agent.destroy() };
}

/**
 * One request written byte for byte on a fresh connection (a Content-Length that lies, a
 * header too large for any server), and the first response read back as text. `hangUp` closes
 * the sending side right after the bytes, as a client that gives up does.
 */
export function exchangeBytes(
  baseUrl: string,
  bytes: Buffer,
  options: { timeoutMs?: number; hangUp?: boolean } = {},
): Promise<RawResponse> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      if (status === 0) {
        reject(new Error(`No HTTP response: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      const body = Buffer.from(rest.join('\r\n\r\n'), 'latin1');
      const length =
        headers['content-length'] === undefined ? body.length : Number(headers['content-length']);
      resolve({ status, headers, text: body.subarray(0, length).toString('utf8') });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      finish();
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length > 0) finish();
      else reject(error);
    });
    socket.write(bytes);
    if (options.hangUp) socket.end();
  });
}

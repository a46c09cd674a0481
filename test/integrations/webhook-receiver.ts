import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedBody {
  readonly version: number;
  readonly id: string;
  readonly type: string;
  readonly courseId: string | null;
  readonly teamId?: string;
  readonly patientId: string | null;
  readonly sequence: number;
  readonly data: Record<string, unknown>;
}

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: ReceivedBody;
  readonly answered: number;
}

/**
 * A webhook receiver on 127.0.0.1 (the only address any test sends to): records every request (raw body,
 * headers) and answers with whatever `answer` says for it (default 204); a 3xx answer carries a Location.
 */
export class Receiver {
  readonly requests: Received[] = [];
  answer: (body: ReceivedBody, path: string) => number = () => 204;
  private server!: Server;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(text) as ReceivedBody;
        const status = this.answer(body, req.url ?? '');
        this.requests.push({ path: req.url ?? '', headers: req.headers, text, body, answered: status });
        res.statusCode = status;
        if (status >= 300 && status < 400) res.setHeader('Location', `http://127.0.0.1:${this.port}/redirected`);
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }

  to(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** the requests to `path` answered with 2xx (for one course when given) */
  ok(path: string, courseId?: string): Received[] {
    return this.requests.filter((r) => r.path === path && r.answered < 300 && (courseId === undefined || r.body.courseId === courseId));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

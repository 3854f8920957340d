import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/**
 * The four services as the console sees them: one HTTP server per service that records what it got (the
 * Authorization header above all) and answers /v1/findings in pages of a listing of `findingsTotal` rows generated on
 * the fly, /v1/audit from a fixed list, and echoes anything else.
 */
export class StandInServices {
  readonly calls: Recorded[] = [];
  findingsTotal = 0;
  audit: Record<string, { id: string; at: string; action: string }[]> = {};
  /** Lets a streamed download (reconcile's `/v1/device-resets/r1/backup.csv`) send its rest: set while it waits. */
  releaseDownload: (() => void) | null = null;
  private servers: Server[] = [];
  readonly urls: Record<'reconcile' | 'gateway' | 'sync' | 'notifier', string> = {} as never;

  async start(): Promise<void> {
    for (const name of ['reconcile', 'gateway', 'sync', 'notifier'] as const) {
      const server = createServer((req, res) =>
        name === 'reconcile' && req.url === '/v1/device-resets/r1/backup.csv'
          ? void this.download(req, res)
          : void this.answer(name, req, res.writeHead.bind(res), res.end.bind(res)),
      );
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.servers.push(server);
      this.urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }
  }

  async close(): Promise<void> {
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  /**
   * A CSV sent in two parts: the first at once, the rest only when the test, having received the first, releases it
   * (or after 5 s, so a proxy that holds the answer back fails the test instead of hanging it).
   */
  private async download(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.calls.push({
      method: req.method!,
      url: `reconcile${req.url}`,
      authorization: req.headers.authorization,
      body: '',
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="device-backup-r1.csv"',
      'cache-control': 'no-store',
    });
    res.write('\ufeff"invoice","amount"\r\n');
    await new Promise<void>((resolve) => {
      const fallback = setTimeout(resolve, 5_000);
      this.releaseDownload = () => {
        clearTimeout(fallback);
        resolve();
      };
    });
    this.releaseDownload = null;
    res.end('"044031900111","100.00"\r\n');
  }

  private async answer(
    service: string,
    req: IncomingMessage,
    head: (status: number, headers: Record<string, string>) => unknown,
    end: (body: string) => unknown,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url!, 'http://stand-in');
    // Export pages are not recorded one by one (there are hundreds).
    if (!(service === 'reconcile' && url.pathname === '/v1/findings'))
      this.calls.push({
        method: req.method!,
        url: `${service}${req.url}`,
        authorization: req.headers.authorization,
        body,
      });
    const json = (status: number, value: unknown) => {
      head(status, { 'content-type': 'application/json' });
      end(JSON.stringify(value));
    };
    if (service === 'reconcile' && url.pathname === '/v1/findings') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const to = Math.min(from + limit, this.findingsTotal);
      const items = [];
      for (let i = from; i < to; i += 1) items.push(finding(i, url.searchParams.get('branchId') ?? 'SZ01'));
      return json(200, { items, nextCursor: to < this.findingsTotal ? String(to) : null });
    }
    if (url.pathname === '/v1/audit') {
      const all = this.audit[service] ?? [];
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const from = Number(url.searchParams.get('cursor') ?? 0);
      const items = all.slice(from, from + limit).map((e) => ({
        ...e,
        service,
        actor: { kind: 'person', subject: 'u1', name: '王会计' },
        target: { type: 'finding', id: e.id },
        taxNo: '91440300MA5TEST01X',
        branchId: 'SZ01',
        reason: null,
        detail: {},
      }));
      return json(200, { items, nextCursor: from + limit < all.length ? String(from + limit) : null });
    }
    if (url.pathname === '/v1/slow') {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      return json(200, { slow: true });
    }
    if (url.pathname === '/v1/forbidden')
      return json(403, { error: { code: 'FORBIDDEN', message: 'no', details: [] } });
    return json(200, {
      service,
      method: req.method,
      path: url.pathname,
      query: url.search,
      body: body ? JSON.parse(body) : null,
    });
  }
}

function finding(i: number, branchId: string) {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    taxNo: '91440300MA5TEST01X',
    period: '2026-02',
    type: 'MISSING_UPLOAD',
    state: 'open',
    severity: 'high',
    branchId,
    invoiceKey: `0${String(44031900111 + i)}`,
    explanation: `发票 ${i} 未上传, "quoted", comma`,
  };
}

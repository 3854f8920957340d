import { Controller, Get, Inject, Param, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppError, Clock, CLOCK } from '@lib/common';
import { mergeAuditPage } from '../api/audit-merge';
import { auditPath } from './audit.controller';
import { SERVICES, ServiceName, Upstream } from '../api/upstream';
import { ConsoleErrorsFilter } from './console-errors.filter';
import { SessionGate } from './session-gate';
import { SessionService } from '../session/session.service';
import { cellsOf, EXPORT_COLUMNS, EXPORT_KINDS, ExportKind, headersOf, Lang } from '../export/export-columns';
import { GetJson, withDeviceCompliance } from '../export/device-compliance.join';
import { csvWriter, ExportWriter, xlsxWriter } from '../export/export-writer';
import { ConsoleErrorCode } from '../console-error-codes';

interface Page {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}

/**
 * Where each listing comes from, the largest page its service gives, and what each page is joined with before it is
 * written (devices: the gateway's registry with reconcile's compliance, page by page).
 */
const SOURCES: Record<
  Exclude<ExportKind, 'audit'>,
  {
    service: ServiceName;
    path: string;
    pageSize: number;
    join?: (
      rows: Record<string, unknown>[],
      get: GetJson,
      filters: URLSearchParams,
    ) => Promise<Record<string, unknown>[]>;
  }
> = {
  findings: { service: 'reconcile', path: 'findings', pageSize: 500 },
  invoices: { service: 'reconcile', path: 'invoices', pageSize: 500 },
  devices: {
    service: 'gateway',
    path: 'admin/devices',
    pageSize: 200,
    join: (rows, get, filters) => withDeviceCompliance(rows, get, filters.get('period') ?? undefined),
  },
};

/** Query parameters that belong to the console, not to the service's filters. */
const OWN_PARAMETERS = new Set(['lang', 'cursor', 'limit']);

/**
 * `/api/export/<kind>.<xlsx|csv>`: every row matching the page's filters, fetched page by page from the service with
 * the person's token (so the service's scope applies) and written as each page arrives; memory stays bounded however
 * many rows there are. The first page is fetched before anything is sent, so a refusal comes back as the usual error.
 */
@ApiExcludeController()
@UseFilters(ConsoleErrorsFilter)
@Controller('api/export')
export class ExportController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly gate: SessionGate,
    private readonly sessions: SessionService,
    private readonly upstream: Upstream,
  ) {}

  @Get(':file')
  async download(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const match = /^([a-z]+)\.(xlsx|csv)$/.exec(file);
    const kind = match?.[1] as ExportKind | undefined;
    if (!match || !kind || !EXPORT_KINDS.includes(kind))
      throw new AppError(ConsoleErrorCode.NOT_FOUND, 'not_found', `No export named ${file}`);
    const session = await this.gate.require(req);
    const lang: Lang = req.query.lang === 'en' ? 'en' : 'zh';
    const pages = this.pages(kind, req, () => this.sessions.accessToken(session));
    const first = await pages.next();
    const columns = EXPORT_COLUMNS[kind];
    const writer: ExportWriter = match[2] === 'xlsx' ? xlsxWriter(res, kind) : csvWriter(res);
    const stamp = this.clock.now().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const filename = `${kind}-${stamp}.${match[2]}`;
    res.status(200);
    res.setHeader('Content-Type', writer.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'no-store');
    try {
      await writer.start(headersOf(columns, lang));
      let page = first;
      while (!page.done && !res.destroyed) {
        for (const row of page.value) writer.row(cellsOf(columns, row, lang));
        await writer.drained();
        page = await pages.next();
      }
      await writer.finish();
    } catch {
      // Headers are gone: all that is left is to cut the download short, so the file is visibly incomplete.
      res.destroy();
    }
  }

  private async *pages(
    kind: ExportKind,
    req: Request,
    token: () => Promise<string>,
  ): AsyncGenerator<Record<string, unknown>[]> {
    if (kind === 'audit') {
      let cursor: string | undefined;
      do {
        const page = await mergeAuditPage(SERVICES, cursor, 500, async (service, c, limit) =>
          this.upstream.getJson(service as ServiceName, auditPath(c, limit), await token()),
        );
        yield page.items as unknown as Record<string, unknown>[];
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return;
    }
    const source = SOURCES[kind];
    const filters = new URLSearchParams();
    for (const [name, value] of Object.entries(req.query)) {
      if (OWN_PARAMETERS.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value])
        if (typeof v === 'string') filters.append(name, v);
    }
    filters.set('limit', String(source.pageSize));
    let cursor: string | null = null;
    do {
      if (cursor) filters.set('cursor', cursor);
      const page: Page = await this.upstream.getJson<Page>(
        source.service,
        `${source.path}?${filters}`,
        await token(),
      );
      const get: GetJson = async <T>(service: ServiceName, path: string) =>
        this.upstream.getJson<T>(service, path, await token());
      yield source.join ? await source.join(page.items, get, filters) : page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}

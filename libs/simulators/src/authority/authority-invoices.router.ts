import { Router, type RequestHandler } from 'express';
import { AUTHORITY_CODES, type AuthorityUploadKind } from '@lib/protocols';
import { countDuplicate, type SandboxCounters } from '../core/counters';
import { asRecord, bodyText, param, parseJson } from '../core/http.util';
import { PERIOD_PATTERN } from '../core/shanghai-time.util';
import type { SimClock } from '../core/sim-clock';
import { loseResponse, sleep, type OperationResolver } from '../faults/fault-gate.middleware';
import type { FaultInjector } from '../faults/fault-injector';
import { isLost, isVisible, toHeader, toView } from './authority-record';
import { decodePageToken, encodePageToken, sendAuthority } from './authority-http';
import type { AuthoritySimulator } from './authority.simulator';

export interface AuthorityRouteDeps {
  simulator: AuthoritySimulator;
  faults: FaultInjector;
  counters: SandboxCounters;
  clock: SimClock;
  gate: (operation: OperationResolver) => RequestHandler;
  /** raw body + signature verification, run after the gate. */
  auth: RequestHandler[];
}

const KINDS: readonly AuthorityUploadKind[] = ['issued', 'red-issued', 'voided'];

/** Upload, get-own-by-key, list (paged) and 查验. */
export function authorityInvoicesRouter(deps: AuthorityRouteDeps): Router {
  const { simulator, faults, counters, clock, gate, auth } = deps;
  const stats = counters.of('authority');
  const router = Router();

  router.post('/v1/taxpayers/:taxNo/invoices', gate('upload'), ...auth, (req, res) => {
    const parsed = parseJson(bodyText(req));
    const body = asRecord(parsed.ok ? parsed.value : null);
    const kind = (body.kind ?? 'issued') as AuthorityUploadKind;
    if (!parsed.ok || !KINDS.includes(kind) || !body.invoice) {
      stats.rejected += 1;
      return sendAuthority(
        res,
        400,
        AUTHORITY_CODES.BAD_REQUEST,
        parsed.ok ? 'body is {kind, invoice}' : parsed.message,
      );
    }
    const outcome = simulator.uploads.upload({
      kind,
      invoice: body.invoice,
      uploaderTaxNo: param(req, 'taxNo'),
      source: 'direct',
      neverVisible: (key) => faults.neverVisible('authority', 'upload', key),
    });
    if (outcome.status === 'rejected') {
      stats.rejected += 1;
      return sendAuthority(res, 200, outcome.code, '发票数据校验不通过', undefined, outcome.errors);
    }
    if (outcome.status === 'duplicate') {
      // A resend on the same channel is a duplicate; the same invoice arriving directly after a platform relayed it
      // (both routes carry it, by design) is counted with the relays.
      if (outcome.crossChannel) stats.relayedDuplicates += 1;
      else countDuplicate(stats, outcome.result.invoiceKey);
      return sendAuthority(res, 200, AUTHORITY_CODES.OK, '重复上传，返回原结果', outcome.result);
    }
    stats.accepted += 1;
    const record = simulator.repository.get(outcome.result.invoiceKey);
    if (record && isLost(record)) stats.faults.neverVisible += 1;
    if (faults.responseLost('authority', 'upload', outcome.result.invoiceKey)) {
      stats.faults.responsesLost += 1;
      return loseResponse(req, res);
    }
    sendAuthority(res, 200, AUTHORITY_CODES.OK, '上传成功', outcome.result);
  });

  router.get('/v1/taxpayers/:taxNo/invoices/:invoiceKey', gate('get'), ...auth, (req, res) => {
    const record = simulator.repository.get(param(req, 'invoiceKey'));
    if (!record || isLost(record) || record.sellerTaxNo !== param(req, 'taxNo')) {
      return sendAuthority(res, 404, AUTHORITY_CODES.INVOICE_NOT_FOUND, '未找到该发票的上传记录');
    }
    const now = clock.now();
    sendAuthority(res, 200, AUTHORITY_CODES.OK, 'ok', {
      invoice: toView(record),
      uploadId: record.uploadId,
      acceptedAt: new Date(record.acceptedAtMs).toISOString(),
      visible: isVisible(record, now),
      visibleAt: new Date(record.visibleAtMs).toISOString(),
      source: record.source,
    });
  });

  router.get('/v1/taxpayers/:taxNo/invoices', gate('list'), ...auth, async (req, res) => {
    const period = String(req.query.period ?? '');
    const direction = String(req.query.direction ?? 'sales');
    const pageSize = Number(req.query.pageSize ?? 100);
    if (!PERIOD_PATTERN.test(period) || (direction !== 'sales' && direction !== 'purchase')) {
      return sendAuthority(
        res,
        400,
        AUTHORITY_CODES.BAD_REQUEST,
        'period=YYYY-MM and direction=sales|purchase required',
      );
    }
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) {
      return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, 'pageSize must be 1..1000');
    }
    const scope = { taxNo: param(req, 'taxNo'), direction, period } as const;
    const token = req.query.pageToken ? String(req.query.pageToken) : null;
    const cursor = token ? decodePageToken(token, scope) : null;
    if (token && !cursor)
      return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, 'pageToken invalid for this query');
    const delay = faults.pageDelayMs('authority', 'list');
    if (delay > 0) {
      stats.faults.slowPages += 1;
      await sleep(delay);
    }
    const page = simulator.repository.list(scope.taxNo, direction, period, cursor, pageSize, clock.now());
    const last = page.items[page.items.length - 1];
    sendAuthority(res, 200, AUTHORITY_CODES.OK, 'ok', {
      items: page.items.map(toHeader),
      nextPageToken: page.more && last ? encodePageToken(scope, last) : null,
    });
  });

  router.post('/v1/taxpayers/:taxNo/verifications', gate('verify'), ...auth, (req, res) => {
    const parsed = parseJson(bodyText(req));
    if (!parsed.ok) return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, parsed.message);
    const result = simulator.verification.verify('authority', param(req, 'taxNo'), parsed.value);
    sendAuthority(res, 200, AUTHORITY_CODES.OK, result.returnmsg, result);
  });

  return router;
}

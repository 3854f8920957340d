import {
  BAIWANG_ERRORS,
  wireInvoiceKey,
  type BaiwangErrorResponse,
  type BaiwangQueryResponse,
  type BaiwangUploadKind,
  type BaiwangUploadResponse,
} from '@lib/protocols';
import { countDuplicate, type SandboxCounters } from '../core/counters';
import { asRecord } from '../core/http.util';
import type { SimClock } from '../core/sim-clock';
import { isLost, isVisible } from '../authority/authority-record';
import type { AuthoritySimulator } from '../authority/authority.simulator';
import type { FaultInjector } from '../faults/fault-injector';

const SERIAL_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const KINDS: readonly BaiwangUploadKind[] = ['issued', 'red-issued', 'voided'];

interface BaiwangUpload {
  serialNo: string;
  taxNo: string;
  invoiceKey: string;
  kind: BaiwangUploadKind;
  uploadTimeMs: number;
}

export type BaiwangOutcome<T> =
  | { ok: true; response: T; accepted?: boolean }
  | { ok: false; error: BaiwangErrorResponse; sub?: { subCode?: string; subMsg?: string } };

/**
 * Baiwang's own upload ledger: idempotent on serialNo and on the invoice key (per issue/void); accepted
 * uploads are relayed into the authority's store as source "baiwang", subject to its visibility lag.
 */
export class BaiwangUploadsService {
  private bySerial = new Map<string, BaiwangUpload>();
  private byKey = new Map<string, BaiwangUpload>();

  constructor(
    private readonly authority: AuthoritySimulator,
    private readonly faults: FaultInjector,
    private readonly counters: SandboxCounters,
    private readonly clock: SimClock,
  ) {}

  upload(method: string, raw: unknown): BaiwangOutcome<BaiwangUploadResponse> {
    const body = asRecord(raw);
    const taxNo = String(body.taxNo ?? '');
    const serialNo = String(body.serialNo ?? '');
    const kind = (body.kind ?? 'issued') as BaiwangUploadKind;
    const invoice = asRecord(body.invoice);
    if (
      !taxNo ||
      !SERIAL_PATTERN.test(serialNo) ||
      !KINDS.includes(kind) ||
      typeof invoice.number !== 'string'
    ) {
      return {
        ok: false,
        error: BAIWANG_ERRORS.INVOICE_INVALID,
        sub: { subCode: 'BAD_REQUEST', subMsg: 'taxNo, serialNo, kind, invoice' },
      };
    }
    const invoiceKey = wireInvoiceKey({
      code: typeof invoice.code === 'string' ? invoice.code : null,
      number: invoice.number,
    });
    const slot = `${kind === 'voided' ? 'void' : 'issue'}:${invoiceKey}`;
    const previous = this.bySerial.get(serialNo) ?? this.byKey.get(slot);
    if (previous) {
      if (previous.serialNo === serialNo && previous.invoiceKey !== invoiceKey) {
        return {
          ok: false,
          error: BAIWANG_ERRORS.SERIAL_CONFLICT,
          sub: { subMsg: `serialNo used for ${previous.invoiceKey}` },
        };
      }
      countDuplicate(this.counters.of('baiwang'), previous.invoiceKey);
      return { ok: true, response: this.uploadResponse(previous, true) };
    }
    const outcome = this.authority.uploads.upload({
      kind,
      invoice: body.invoice,
      uploaderTaxNo: taxNo,
      source: 'baiwang',
      neverVisible: (key) => this.faults.neverVisible('baiwang', method, key),
    });
    if (outcome.status === 'rejected') {
      const subMsg = outcome.errors.map((e) => `${e.field ?? ''}: ${e.message}`).join('; ');
      return { ok: false, error: BAIWANG_ERRORS.INVOICE_INVALID, sub: { subCode: outcome.code, subMsg } };
    }
    const authorityStats = this.counters.of('authority');
    if (outcome.status === 'duplicate') authorityStats.relayedDuplicates += 1;
    else authorityStats.accepted += 1;
    const record = this.authority.repository.get(invoiceKey);
    if (outcome.status === 'accepted' && record && isLost(record))
      this.counters.of('baiwang').faults.neverVisible += 1;
    const entry: BaiwangUpload = { serialNo, taxNo, invoiceKey, kind, uploadTimeMs: this.clock.now() };
    this.bySerial.set(serialNo, entry);
    this.byKey.set(slot, entry);
    return { ok: true, response: this.uploadResponse(entry, false), accepted: true };
  }

  query(raw: unknown): BaiwangOutcome<BaiwangQueryResponse> {
    const body = asRecord(raw);
    const taxNo = String(body.taxNo ?? '');
    const key =
      typeof body.invoiceKey === 'string'
        ? body.invoiceKey
        : typeof body.invoiceNumber === 'string'
          ? `${typeof body.invoiceCode === 'string' ? body.invoiceCode : ''}${body.invoiceNumber}`
          : null;
    const entry =
      typeof body.serialNo === 'string'
        ? this.bySerial.get(body.serialNo)
        : key
          ? this.byKey.get(`issue:${key}`)
          : undefined;
    if (!entry || entry.taxNo !== taxNo) return { ok: false, error: BAIWANG_ERRORS.NOT_FOUND };
    const record = this.authority.repository.get(entry.invoiceKey);
    const authorityStatus = !record
      ? 'NOT_FOUND'
      : !isLost(record) && isVisible(record, this.clock.now())
        ? 'VISIBLE'
        : 'PENDING';
    return {
      ok: true,
      response: {
        serialNo: entry.serialNo,
        invoiceKey: entry.invoiceKey,
        kind: entry.kind,
        uploadStatus: 'UPLOADED',
        uploadTime: new Date(entry.uploadTimeMs).toISOString(),
        authorityStatus,
        invoiceStatus: authorityStatus === 'VISIBLE' && record ? record.status : null,
      },
    };
  }

  clear(): void {
    this.bySerial = new Map();
    this.byKey = new Map();
  }

  private uploadResponse(entry: BaiwangUpload, duplicate: boolean): BaiwangUploadResponse {
    return {
      serialNo: entry.serialNo,
      invoiceKey: entry.invoiceKey,
      uploadStatus: 'UPLOADED',
      uploadTime: new Date(entry.uploadTimeMs).toISOString(),
      duplicate,
    };
  }
}

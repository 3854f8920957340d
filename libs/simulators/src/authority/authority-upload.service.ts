import { createHash } from 'node:crypto';
import {
  AUTHORITY_CODES,
  wireInvoiceKey,
  type AuthorityFieldError,
  type AuthoritySource,
  type AuthorityUploadKind,
  type AuthorityUploadResult,
} from '@lib/protocols';
import { toFen } from '../core/money.util';
import type { SimClock } from '../core/sim-clock';
import { periodOf } from '../core/shanghai-time.util';
import { isLost, recordFromWire, type AuthorityRecord } from './authority-record';
import type { AuthorityRepository } from './authority.repository';
import { validateInvoice, type ValidInvoice } from './invoice-validation';

export interface UploadCommand {
  kind: AuthorityUploadKind;
  invoice: unknown;
  uploaderTaxNo: string;
  source: AuthoritySource;
  /** Decides, once the key is known, whether the platform silently loses this upload. */
  neverVisible: (invoiceKey: string) => boolean;
  /** Simulated time the invoice exists from (Nuonuo: when issuing completes); defaults to now. */
  readyAtMs?: number;
}

export type UploadOutcome =
  | { status: 'accepted'; result: AuthorityUploadResult }
  /** `crossChannel`: this channel had not delivered this issue or void before, another one had (a direct upload after a relay, or the reverse). */
  | { status: 'duplicate'; result: AuthorityUploadResult; crossChannel: boolean }
  | { status: 'rejected'; code: string; errors: AuthorityFieldError[] };

interface Receipt {
  uploadId: string;
  acceptedAtMs: number;
  contentHash: string;
  /** The channels that delivered this issue or void: a second arrival on one of them is a resend. */
  sources: Set<AuthoritySource>;
}

export type RedFormCheck = (formId: string, originalKey: string) => boolean;
/** Marks the form a red invoice cited as used by it (a form serves one red invoice). */
export type RedFormUse = (formId: string, redInvoiceKey: string) => void;

/**
 * Upload rules of the authority: idempotent on (invoice key, issue|void); a duplicate is answered with
 * the original result; red invoices reduce their original (status RED_REVERSED once fully reversed);
 * voids only for paper invoices in the month of issue. A lost upload (never-visible fault) sent again is
 * accepted again, as a real re-upload (补传) would be.
 */
export class AuthorityUploadService {
  private receipts = new Map<string, Receipt>();
  private sequence = 0;

  constructor(
    private readonly repository: AuthorityRepository,
    private readonly clock: SimClock,
    private readonly visibilityLagMs: () => number,
    private readonly redFormUsable: RedFormCheck,
    private readonly redFormUsed: RedFormUse = () => undefined,
  ) {}

  upload(command: UploadCommand): UploadOutcome {
    const validation = validateInvoice(command.invoice, command.kind, command.uploaderTaxNo);
    if (!validation.ok)
      return { status: 'rejected', code: validation.errors[0].code, errors: validation.errors };
    const valid = validation.value;
    const key = wireInvoiceKey(valid.invoice);
    const hash = createHash('sha1').update(JSON.stringify(command.invoice)).digest('hex');
    const receiptKey = `${command.kind === 'voided' ? 'void' : 'issue'}:${key}`;
    const existing = this.repository.get(key);
    const receipt = this.receipts.get(receiptKey);
    if (existing && !isLost(existing) && (command.kind !== 'voided' || receipt)) {
      const original: Receipt = receipt ?? {
        uploadId: existing.uploadId,
        acceptedAtMs: existing.acceptedAtMs,
        contentHash: '',
        sources: new Set([existing.source]),
      };
      const crossChannel = !original.sources.has(command.source);
      original.sources.add(command.source);
      if (!receipt) this.receipts.set(receiptKey, original);
      return {
        status: 'duplicate',
        result: this.result(key, command.kind, original, true, original.contentHash === hash),
        // Per event (a void's channels may differ from its issue's): new on this channel, or a resend on it.
        crossChannel,
      };
    }
    const now = this.clock.now();
    const visibleAtMs = command.neverVisible(key)
      ? Number.POSITIVE_INFINITY
      : (command.readyAtMs ?? now) + this.visibilityLagMs();
    const rejection =
      command.kind === 'voided'
        ? this.checkVoid(valid, existing, now)
        : command.kind === 'red-issued'
          ? this.checkRed(valid)
          : null;
    if (rejection) return { status: 'rejected', code: rejection.code, errors: [rejection] };

    const fresh: Receipt = {
      uploadId: this.nextUploadId(),
      acceptedAtMs: now,
      contentHash: hash,
      sources: new Set([command.source]),
    };
    this.receipts.set(receiptKey, fresh);
    if (command.kind === 'voided') this.applyVoid(valid, key, existing, fresh, visibleAtMs, command.source);
    else if (existing) this.repository.setVisibleAt(existing, visibleAtMs);
    else {
      const record = recordFromWire(valid.invoice, key, valid.issuedAtMs, {
        ...fresh,
        visibleAtMs,
        source: command.source,
      });
      this.repository.add(record);
      if (command.kind === 'red-issued') this.applyRed(record, valid.totalFen);
    }
    return { status: 'accepted', result: this.result(key, command.kind, fresh, false, true) };
  }

  clear(): void {
    this.receipts = new Map();
    this.sequence = 0;
  }

  private checkRed(valid: ValidInvoice): AuthorityFieldError | null {
    const original = valid.invoice.original
      ? this.repository.get(wireInvoiceKey(valid.invoice.original))
      : undefined;
    if (!original || isLost(original)) {
      return {
        code: AUTHORITY_CODES.RED_ORIGINAL_NOT_FOUND,
        field: 'invoice.original',
        message: '原蓝字发票不存在',
      };
    }
    const remaining = (toFen(original.totalAmount) ?? 0n) + original.redReversedFen;
    if (-valid.totalFen > remaining || original.status === 'VOIDED') {
      return {
        code: AUTHORITY_CODES.RED_AMOUNT_EXCEEDS_ORIGINAL,
        field: 'invoice.totalAmount',
        message: '红冲金额超过原发票可冲金额',
      };
    }
    const formId = valid.invoice.redFormId;
    if (formId && !this.redFormUsable(formId, original.key)) {
      return {
        code: AUTHORITY_CODES.RED_FORM_NOT_USABLE,
        field: 'invoice.redFormId',
        message: '红字确认单不可用',
      };
    }
    return null;
  }

  private applyRed(red: AuthorityRecord, totalFen: bigint): void {
    const original = red.original ? this.repository.get(wireInvoiceKey(red.original)) : undefined;
    if (!original) return;
    original.redReversedFen += totalFen;
    if (red.redFormId) this.redFormUsed(red.redFormId, red.key);
    if ((toFen(original.totalAmount) ?? 0n) + original.redReversedFen === 0n)
      original.status = 'RED_REVERSED';
  }

  private checkVoid(
    valid: ValidInvoice,
    existing: AuthorityRecord | undefined,
    now: number,
  ): AuthorityFieldError | null {
    const paper = valid.invoice.type === 'VAT_SPECIAL' || valid.invoice.type === 'VAT_GENERAL';
    const sameMonth = periodOf(valid.issuedAtMs) === periodOf(now);
    const reversed = existing && !isLost(existing) && existing.redReversedFen !== 0n;
    if (paper && sameMonth && !reversed) return null;
    return { code: AUTHORITY_CODES.VOID_NOT_ALLOWED, field: 'kind', message: '仅当月纸质发票可作废' };
  }

  private applyVoid(
    valid: ValidInvoice,
    key: string,
    existing: AuthorityRecord | undefined,
    receipt: Receipt,
    visibleAtMs: number,
    source: AuthoritySource,
  ): void {
    if (existing && !isLost(existing)) {
      existing.status = 'VOIDED';
      return;
    }
    if (existing) {
      existing.status = 'VOIDED';
      this.repository.setVisibleAt(existing, visibleAtMs);
      return;
    }
    const record = recordFromWire(valid.invoice, key, valid.issuedAtMs, {
      ...receipt,
      visibleAtMs,
      source,
      status: 'VOIDED',
    });
    this.repository.add(record);
  }

  private result(
    key: string,
    kind: AuthorityUploadKind,
    receipt: Receipt,
    duplicate: boolean,
    sameContent: boolean,
  ): AuthorityUploadResult {
    return {
      invoiceKey: key,
      uploadId: receipt.uploadId,
      kind,
      duplicate,
      sameContent,
      acceptedAt: new Date(receipt.acceptedAtMs).toISOString(),
    };
  }

  private nextUploadId(): string {
    this.sequence += 1;
    return `UP${String(this.sequence).padStart(12, '0')}`;
  }
}

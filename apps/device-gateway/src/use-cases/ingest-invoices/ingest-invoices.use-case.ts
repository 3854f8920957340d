import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { invoiceEventTypeOf, InvoicesResponse, InvoiceResult } from '@lib/contracts';
import { enqueueOutbox, OutboxMessage } from '@lib/messaging';
import { DevicePrincipal } from '../../auth/device-principal';
import { GatewayConfig } from '../../gateway.config';
import { GATEWAY_CONFIG } from '../../gateway.tokens';
import { GatewayMetrics } from '../../metrics/gateway-metrics';
import { DeviceWriteTransaction } from '../../auth/device-write.transaction';
import { EventMessageFactory } from '../../ingest/event-message.factory';
import { IdempotencyRepository, keyKind } from '../../ingest/idempotency.repository';
import { InvoiceClaimsRepository } from '../../ingest/invoice-claims.repository';
import { duplicateInvoiceKey } from '../../ingest/ingest-errors';
import { IngestInvoicesCommand } from './ingest-invoices.command';
import { validateInvoiceBatch, ValidInvoice } from '../../ingest/invoice-batch.validator';
import { answerBatch, StoredOutcome } from './invoice-results';

/**
 * `POST /v1/invoices`: validates each item, then, in ONE transaction with the request's nonce, records every
 * answered eventId, every new content per invoice key, and an outbox row per accepted invoice. "accepted" therefore
 * means committed; a failure anywhere leaves nothing behind and the device retries the whole request.
 * Six statements per request whatever its size (nonce, claims, key bucket locks, known keys, and the outbox's two:
 * its bucket locks are re-entries of the key bucket locks).
 */
@Injectable()
export class IngestInvoicesUseCase {
  constructor(
    private readonly transaction: DeviceWriteTransaction,
    private readonly records: IdempotencyRepository,
    private readonly claims: InvoiceClaimsRepository,
    private readonly messages: EventMessageFactory,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
  ) {}

  async execute({ device, items }: IngestInvoicesCommand): Promise<InvoicesResponse> {
    const batch = validateInvoiceBatch(items, {
      now: device.receivedAt,
      deviceTaxNo: device.taxNo,
      clockSkewMs: this.config.GATEWAY_CLOCK_SKEW_MS,
    });
    const keys = [...new Set(batch.firsts.map((f) => f.invoiceKey))];
    // The key locks are bounded (one per outbox bucket, see lockInvoiceKeys): requests need no lock budget.
    const outcomes = await this.transaction.run(device, (manager) =>
      this.store(manager, batch.firsts, keys, device),
    );
    const results = answerBatch(batch, outcomes);
    countResults(this.metrics, results);
    return { results };
  }

  private async store(
    manager: EntityManager,
    firsts: ValidInvoice[],
    keys: string[],
    device: DevicePrincipal,
  ): Promise<Map<string, StoredOutcome>> {
    const outcomes = new Map<string, StoredOutcome>();
    if (firsts.length === 0) return outcomes;
    const items = firsts.map((f) => ({
      eventId: f.id,
      eventType: invoiceEventTypeOf(f.item.kind),
      hash: f.hash,
      invoiceKey: f.invoiceKey,
      kind: f.item.kind,
    }));
    // 1. Claims: the primary keys settle eventId and same-content races, no lock needed.
    const claims = await this.claims.claim(manager, device.deviceId, device.receivedAt, items);
    // 2. The keys' bucket locks (the outbox's own), then what the keys had before this request: every other writer of
    //    these keys has committed or rolled back by now, so the DUPLICATE_INVOICE_KEY check cannot race. Locking after
    //    the claims keeps the serialised part of concurrent requests short (this read, the outbox insert, the commit)
    //    and makes the locks the request's last waits: a lock holder never waits for a row another request holds.
    await this.records.lockInvoiceKeys(manager, keys);
    const known = await this.claims.knownKeys(manager, items, claims.accepted);
    const traceparent = this.messages.traceparentFor(device);
    const messages: OutboxMessage[] = [];
    for (const invoice of firsts) {
      const stored = claims.taken.get(invoice.id);
      if (stored) {
        outcomes.set(
          invoice.id,
          stored.equals(invoice.hash) ? { status: 'duplicate' } : { status: 'conflict' },
        );
      } else if (!claims.accepted.has(invoice.id)) {
        // New eventId, but this very content was already accepted for the key: a duplicate.
        outcomes.set(invoice.id, { status: 'duplicate' });
      } else {
        // Accepted. A new content for a key that already had one is said so (reconcile raises DUPLICATE_INVOICE).
        const pair = keyKind(invoice.invoiceKey, invoice.item.kind);
        const warnings = known.has(pair)
          ? [
              ...invoice.warnings,
              duplicateInvoiceKey(`invoices[${invoice.index}].invoice.number`, invoice.invoiceKey),
            ]
          : invoice.warnings;
        known.add(pair);
        outcomes.set(invoice.id, { status: 'accepted', warnings });
        messages.push(this.messages.invoice(invoice, device, warnings, traceparent));
      }
    }
    await enqueueOutbox(manager, messages);
    return outcomes;
  }
}

function countResults(metrics: GatewayMetrics, results: InvoiceResult[]): void {
  const byStatus = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const result of results) {
    byStatus[result.status]++;
    metrics.validation(result.errors, 'error');
    if (result.warnings) metrics.validation(result.warnings, 'warning');
  }
  for (const [status, count] of Object.entries(byStatus)) metrics.invoiceItems(status, count);
}

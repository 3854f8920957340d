import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { invoiceEventTypeOf, InvoicesResponse, InvoiceResult } from '@lib/contracts';
import { enqueueOutbox, OutboxMessage } from '@lib/messaging';
import { DevicePrincipal } from '../../../auth/device-principal';
import { GATEWAY_CONFIG, GatewayConfig } from '../../../config/gateway.config';
import { gatewayMetrics } from '../../../metrics/gateway-metrics';
import { DeviceWriteTransaction } from '../../../shared/device-write.transaction';
import { LockBudget } from '../../../shared/lock-budget';
import { EventMessageFactory } from '../../event-message.factory';
import { IdempotencyRepository, keyKind } from '../../idempotency.repository';
import { InvoiceClaimsRepository } from '../../invoice-claims.repository';
import { duplicateInvoiceKey } from '../../ingest-codes';
import { IngestInvoicesCommand } from './ingest-invoices.command';
import { validateInvoiceBatch, ValidInvoice } from './invoice-batch.validator';
import { answerBatch, StoredOutcome } from './invoice-results';

/**
 * `POST /v1/invoices`: validates each item, then, in ONE transaction with the request's nonce, records every
 * answered eventId, every new content per invoice key, and an outbox row per accepted invoice. "accepted" therefore
 * means committed; a failure anywhere leaves nothing behind and the device retries the whole request.
 * Five statements per request whatever its size (nonce, key locks, claims, and the outbox's two).
 */
@Injectable()
export class IngestInvoicesUseCase {
  constructor(
    private readonly transaction: DeviceWriteTransaction,
    private readonly records: IdempotencyRepository,
    private readonly claims: InvoiceClaimsRepository,
    private readonly messages: EventMessageFactory,
    private readonly lockBudget: LockBudget,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async execute({ device, items }: IngestInvoicesCommand): Promise<InvoicesResponse> {
    const batch = validateInvoiceBatch(items, {
      now: device.receivedAt,
      deviceTaxNo: device.taxNo,
      clockSkewMs: this.config.GATEWAY_CLOCK_SKEW_MS,
    });
    const keys = [...new Set(batch.firsts.map((f) => f.invoiceKey))];
    const outcomes = await this.lockBudget.use(keys.length, () =>
      this.transaction.run(device, (manager) => this.store(manager, batch.firsts, keys, device)),
    );
    const results = answerBatch(batch, outcomes);
    countResults(results);
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
    await this.records.lockInvoiceKeys(manager, keys);
    const claims = await this.claims.claim(
      manager,
      device.deviceId,
      device.receivedAt,
      firsts.map((f) => ({
        eventId: f.id,
        eventType: invoiceEventTypeOf(f.item.kind),
        hash: f.hash,
        invoiceKey: f.invoiceKey,
        kind: f.item.kind,
      })),
    );
    const traceparent = this.messages.traceparentFor(device);
    const messages: OutboxMessage[] = [];
    const known = claims.knownKeys;
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

function countResults(results: InvoiceResult[]): void {
  const byStatus = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const result of results) {
    byStatus[result.status]++;
    gatewayMetrics.validation(result.errors, 'error');
    if (result.warnings) gatewayMetrics.validation(result.warnings, 'warning');
  }
  for (const [status, count] of Object.entries(byStatus)) gatewayMetrics.invoiceItems(status, count);
}

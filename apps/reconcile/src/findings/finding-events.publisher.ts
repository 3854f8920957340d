import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, FindingState, toKafkaMessage, TOPICS } from '@lib/contracts';
import { isInvoiceType } from '@lib/domain';
import { enqueueOutbox, KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { FindingRow } from './finding.model';

export interface FindingTransition {
  finding: FindingRow;
  previousState: FindingState | null;
}

/** Announces each opened or changed finding on reconcile.findings.v1 (keyed by taxNo), through the caller's outbox. */
@Injectable()
export class FindingEventsPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

  async publish(m: EntityManager, transitions: FindingTransition[], now: Date): Promise<void> {
    if (transitions.length === 0) return;
    const topic = topicName(this.settings, TOPICS.reconcileFindings);
    const messages: OutboxMessage[] = transitions.map(({ finding: f, previousState }) => {
      const invoice =
        f.invoiceNumber && f.invoiceType && isInvoiceType(f.invoiceType) ? { type: f.invoiceType, code: f.invoiceCode, number: f.invoiceNumber } : null;
      const envelope = buildEnvelope(
        'reconcile.finding-changed',
        {
          findingId: f.id,
          type: f.type,
          state: f.state,
          previousState,
          severity: f.severity,
          taxNo: f.taxNo,
          branchId: f.branchId,
          period: f.period,
          invoice,
          deviceId: f.deviceId,
          explanation: f.explanation.slice(0, 1000),
          evidence: f.evidence,
          createdAt: f.createdAt.toISOString(),
          updatedAt: f.updatedAt.toISOString(),
        },
        { source: 'reconcile', occurredAt: now, producedAt: now },
      );
      const message = toKafkaMessage(envelope);
      return { topic, key: message.key, eventId: envelope.id, eventType: envelope.type, payload: message.value, headers: message.headers };
    });
    await enqueueOutbox(m, messages);
  }
}

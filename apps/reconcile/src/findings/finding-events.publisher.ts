import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { buildEnvelope, catalogueEntry, FINDING_EVENT_TYPES, FindingState, toKafkaMessage, TOPICS } from '@lib/contracts';
import { isInvoiceType } from '@lib/domain';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { FindingRow } from './finding.model';
import { FindingTransitionsRepository } from './finding-transitions.repository';
import { SqlMessages } from './pending-outbox';

export interface FindingTransition {
  finding: FindingRow;
  previousState: FindingState | null;
}

export type { TransitionRef } from './finding-transitions.repository';

/**
 * Announces each opened or changed finding on reconcile.findings.v1 (keyed by taxNo). Builds the validated
 * messages only: the caller collects them in its transaction's PendingOutbox and enqueues them at the end.
 */
@Injectable()
export class FindingEventsPublisher {
  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly transitions: FindingTransitionsRepository,
  ) {}

  messages(transitions: readonly FindingTransition[], now: Date): OutboxMessage[] {
    if (transitions.length === 0) return [];
    const topic = topicName(this.settings, TOPICS.reconcileFindings);
    return transitions.map(({ finding: f, previousState }) => {
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
  }

  /**
   * The events of a scope's transitions (all keyed by its taxNo), built by PostgreSQL from the findings as the
   * transaction left them, straight into the outbox: a run with 50,000 transitions neither reads them back nor holds
   * their payloads. The envelope is the one `messages` builds (same fields, same defaults, explanation cut at
   * 1,000 characters), pinned by test/finding-events-sql.int-spec.ts, which parses every SQL-built message with the
   * contract. Each finding changes state at most once in a transaction, so its row at the end is its row after the
   * transition, and the events of one merge need no order among themselves (each concerns another finding; the
   * bucket locks order them after every earlier transaction's). json, not jsonb: built once and written as text.
   */
  sqlMessages(taxNo: string, now: Date): SqlMessages {
    const type = FINDING_EVENT_TYPES.changed;
    const frame = { topic: topicName(this.settings, TOPICS.reconcileFindings), type, version: catalogueEntry(type).version, at: now.toISOString() };
    return {
      keys: [taxNo],
      write: async (m: EntityManager): Promise<number> => {
        const { written, logged } = await this.transitions.writeEvents(m, taxNo, frame);
        if (written !== logged) {
          throw new Error(`finding events: ${logged - written} of ${logged} findings of ${taxNo} disappeared before their events were written`);
        }
        return written;
      },
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { buildEnvelope, FindingState, toKafkaMessage, TOPICS } from '@lib/contracts';
import { isInvoiceType } from '@lib/domain';
import { KAFKA_SETTINGS, KafkaSettings, OutboxMessage, topicName } from '@lib/messaging';
import { FindingRow } from './finding.model';
import { LazyMessages } from './pending-outbox';

export interface FindingTransition {
  finding: FindingRow;
  previousState: FindingState | null;
}

/** A transition remembered by id only, its event built at the end from the finding as the transaction left it. */
export interface TransitionRef {
  findingId: string;
  previousState: FindingState | null;
}

/** Events built per page of this many findings. */
const LAZY_PAGE = 500;

/**
 * Announces each opened or changed finding on reconcile.findings.v1 (keyed by taxNo). Builds the validated
 * messages only: the caller collects them in its transaction's PendingOutbox and enqueues them at the end.
 */
@Injectable()
export class FindingEventsPublisher {
  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {}

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
   * The events of a scope's transitions (all keyed by its taxNo), built page by page when the outbox is flushed,
   * from the findings read back by id: a run with 50,000 transitions never holds 50,000 payloads at once. Each
   * finding changes state at most once in a transaction, so its row at the end is its row after the transition.
   */
  lazyMessages(
    taxNo: string,
    transitions: readonly TransitionRef[],
    now: Date,
    read: (ids: string[]) => Promise<FindingRow[]>,
  ): LazyMessages {
    const build = (page: FindingTransition[]) => this.messages(page, now);
    return {
      key: taxNo,
      async *pages() {
        for (let i = 0; i < transitions.length; i += LAZY_PAGE) {
          const slice = transitions.slice(i, i + LAZY_PAGE);
          const rows = new Map((await read(slice.map((t) => t.findingId))).map((f) => [f.id, f]));
          yield build(
            slice.map((t) => {
              const finding = rows.get(t.findingId);
              if (!finding) throw new Error(`finding ${t.findingId} disappeared before its event was written`);
              return { finding, previousState: t.previousState };
            }),
          );
        }
      },
    };
  }
}

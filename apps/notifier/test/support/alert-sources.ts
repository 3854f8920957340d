import { randomUUID } from 'node:crypto';
import { buildEnvelope, EventDataInput, toKafkaMessage, TOPICS } from '@lib/contracts';
import { NotifierHarness, TAX_NO } from './notifier-harness';

export type SyncResultData = EventDataInput<'sync.result'>;

let invoiceSeq = 0;

/** A sync.result payload for a fresh invoice of TAX_NO at the given time, with overrides. */
export function syncResult(at: Date, overrides: Partial<SyncResultData> = {}): SyncResultData {
  invoiceSeq += 1;
  return {
    invoiceKey: `044031900111-${String(20_000_000 + invoiceSeq)}`,
    taxNo: TAX_NO,
    target: 'authority',
    outcome: 'dead',
    requestId: `REQ-${randomUUID().slice(0, 8)}`,
    errorCode: 'TARGET_UNAVAILABLE',
    errorMessage: '税局接口连续超时',
    attempts: 8,
    at: at.toISOString(),
    ...overrides,
  };
}

/** Publishes a sync.result envelope as sync would; returns the envelope id. */
export async function publishSyncResult(
  h: NotifierHarness,
  data: SyncResultData,
  id: string = randomUUID(),
): Promise<string> {
  const envelope = buildEnvelope('sync.result', data, { source: 'sync', occurredAt: data.at, id });
  await h.publish(TOPICS.syncResults, [toKafkaMessage(envelope)]);
  return id;
}

/** A record as libs/messaging's dead-letter publisher writes it: the original bytes and the dlq-* headers. */
export function deadLetterRecord(sourceTopic: string, offset: number, code: string, group = 'sync') {
  return {
    key: `k-${offset}`,
    value: `{"id": "broken-${offset}"`,
    headers: {
      'event-id': `00000000-0000-4000-8000-${String(offset).padStart(12, '0')}`,
      'event-type': 'invoice.issued',
      'dlq-original-topic': sourceTopic,
      'dlq-original-partition': '0',
      'dlq-original-offset': String(offset),
      'dlq-consumer-group': group,
      'dlq-error-code': code,
      'dlq-error-message': `${code}: cannot be processed`,
      'dlq-attempts': '1',
      'dlq-failed-at': new Date().toISOString(),
    },
  };
}

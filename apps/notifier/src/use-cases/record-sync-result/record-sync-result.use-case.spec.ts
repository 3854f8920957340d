import { EntityManager } from 'typeorm';
import { ManualClock } from '@lib/common';
import { SyncResult } from '@lib/contracts';
import { NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierMetrics } from '../../notifications/notifier.metrics';
import { loadNotifierConfig } from '../../notifier.config';
import { RecipientRepository } from '../../routing/recipient.repository';
import { Recipient } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';
import { SyncProblemRepository } from '../../sync/sync-problem.repository';
import { RecordSyncResultUseCase } from './record-sync-result.use-case';

const at = new Date('2026-03-10T02:00:00Z');
const regional: Recipient = {
  id: 'regional',
  name: 'regional',
  email: 'r@x.cn',
  mobile: '13800000000',
  language: 'zh-CN',
  quietHours: { start: '00:00', end: '23:59' },
  active: true,
  scopes: [{ taxNo: 'T1', branchId: '*', level: 2 }],
  createdAt: at,
  updatedAt: at,
};
const result = (outcome: SyncResult['outcome'], requestId = 'R-1'): SyncResult => ({
  invoiceKey: '044031900111-12345678',
  taxNo: 'T1',
  target: 'authority',
  outcome,
  requestId,
  errorCode: outcome === 'dead' || outcome === 'rejected' ? 'E' : null,
  errorMessage: null,
  attempts: 3,
  targetRecordId: null,
  relayedVia: null,
  at: at.toISOString(),
});

function setup() {
  const calls: string[] = [];
  const drafts: NotificationDraft[][] = [];
  const problems = {
    record: async () => void calls.push('record'),
    resolve: async () => void calls.push('resolve'),
  };
  const rules = {
    all: async () => {
      calls.push('rules');
      return [
        {
          id: 'default-critical',
          findingType: null,
          minSeverity: 'critical',
          channels: ['email', 'sms'],
          level: 1,
          mode: 'immediate',
          priority: 0,
          createdAt: at,
          updatedAt: at,
        },
        {
          id: 'default-warning',
          findingType: null,
          minSeverity: 'warning',
          channels: ['email', 'sms'],
          level: 1,
          mode: 'digest',
          priority: 0,
          createdAt: at,
          updatedAt: at,
        },
      ];
    },
  };
  const recipients = { forTaxNo: async () => [regional] };
  const notifications = {
    insert: async (_m: EntityManager, d: NotificationDraft[]) => {
      drafts.push(d);
      return d.map((_, i) => String(i));
    },
  };
  const useCase = new RecordSyncResultUseCase(
    problems as unknown as SyncProblemRepository,
    notifications as unknown as NotificationRepository,
    recipients as unknown as RecipientRepository,
    rules as unknown as RuleRepository,
    loadNotifierConfig({}),
    new ManualClock(at),
    new NotifierMetrics(),
  );
  const run = (r: SyncResult) => useCase.execute({} as EntityManager, { eventId: 'e', result: r });
  return { calls, drafts, run };
}

describe('RecordSyncResultUseCase', () => {
  it('costs an accepted or relayed result nothing but resolving open problems', async () => {
    const { calls, drafts, run } = setup();
    expect(await run(result('accepted'))).toBe(0);
    expect(await run(result('relayed'))).toBe(0);
    expect(calls).toEqual(['resolve', 'resolve']);
    expect(drafts).toEqual([]);
  });

  it('alerts a dead delivery at once on email and SMS, quiet hours or not, under keys a redelivery repeats', async () => {
    const { calls, drafts, run } = setup();
    expect(await run(result('dead'))).toBe(2);
    await run(result('dead'));
    expect(calls).toEqual(['record', 'rules', 'record', 'rules']);
    const [first, again] = drafts;
    expect(first.map((d) => [d.kind, d.channel, d.severity, d.level, d.status, d.dueAt])).toEqual([
      ['sync_alert', 'email', 'critical', 2, 'queued', at],
      ['sync_alert', 'sms', 'critical', 2, 'queued', at],
    ]);
    expect(again.map((d) => d.dedupeKey)).toEqual(first.map((d) => d.dedupeKey));
    expect(first[0].findingId).toMatch(/^sync-/);
  });

  it('tells a refusal right away by email only under a digest rule; a new request id is a new problem', async () => {
    const { drafts, run } = setup();
    await run(result('rejected'));
    await run(result('rejected', 'R-2'));
    expect(drafts[0].map((d) => [d.channel, d.severity, d.status])).toEqual([['email', 'warning', 'queued']]);
    expect(drafts[1][0].dedupeKey).not.toBe(drafts[0][0].dedupeKey);
  });

  it('does not announce a result older than the maximum age (history read on a first start)', async () => {
    const { calls, run } = setup();
    const old = { ...result('dead'), at: new Date(at.getTime() - 25 * 3_600_000).toISOString() };
    expect(await run(old)).toBe(0);
    expect(calls).toEqual([]);
  });
});

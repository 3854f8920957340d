import { EntityManager } from 'typeorm';
import { ManualClock } from '@lib/common';
import { DeadLetterArrival, readDeadLetter } from '../../dead-letters/dead-letter.model';
import { DeadLetterRepository } from '../../dead-letters/dead-letter.repository';
import { NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { loadNotifierConfig } from '../../notifier.config';
import { RecipientRepository } from '../../routing/recipient.repository';
import { Recipient } from '../../routing/routing.model';
import { RuleRepository } from '../../routing/rule.repository';
import { RecordDeadLetterUseCase } from './record-dead-letter.use-case';

const at = new Date('2026-03-10T02:03:00Z');
const group: Recipient = {
  id: 'group',
  name: 'group',
  email: 'g@x.cn',
  mobile: null,
  language: 'zh-CN',
  quietHours: null,
  active: true,
  scopes: [{ taxNo: '*', branchId: '*', level: 3 }],
  createdAt: at,
  updatedAt: at,
};
const seeded = {
  id: 'default-dead-letter',
  findingType: 'DEAD_LETTER',
  minSeverity: 'info',
  channels: ['email'],
  level: 3,
  mode: 'digest',
  priority: 0,
  createdAt: at,
  updatedAt: at,
};
const arrival = (offset: number): DeadLetterArrival =>
  readDeadLetter(
    'invoice.events.v1.dlq',
    {
      'dlq-original-topic': 'invoice.events.v1',
      'dlq-original-partition': '0',
      'dlq-original-offset': String(offset),
    },
    null,
  );

function setup() {
  const seen = new Set<string>();
  const keys = new Set<string>();
  const drafts: NotificationDraft[] = [];
  let routings = 0;
  const deadLetters = {
    record: async (_m: EntityManager, a: DeadLetterArrival) => !seen.has(a.id) && !!seen.add(a.id),
  };
  const notifications = {
    existsFor: async (_m: EntityManager, ref: string) => drafts.some((d) => d.findingId === ref),
    insert: async (_m: EntityManager, ds: NotificationDraft[]) => {
      const fresh = ds.filter((d) => !keys.has(d.dedupeKey));
      fresh.forEach((d) => keys.add(d.dedupeKey) && drafts.push(d));
      return fresh.map((d) => d.dedupeKey);
    },
  };
  const rules = { all: async () => (routings++, [seeded]) };
  const recipients = { forTaxNo: async (taxNo: string) => (taxNo === '*' ? [group] : []) };
  const clock = new ManualClock(at);
  const useCase = new RecordDeadLetterUseCase(
    deadLetters as unknown as DeadLetterRepository,
    notifications as unknown as NotificationRepository,
    recipients as unknown as RecipientRepository,
    rules as unknown as RuleRepository,
    loadNotifierConfig({}),
    clock,
  );
  const run = (a: DeadLetterArrival) => useCase.execute({} as EntityManager, a);
  return { drafts, run, clock, routings: () => routings };
}

describe('RecordDeadLetterUseCase', () => {
  it('records one notification per recipient for a whole window, due when it ends, routing once', async () => {
    const { drafts, run, routings } = setup();
    expect(await run(arrival(1))).toBe(1);
    for (let offset = 2; offset <= 50; offset++) expect(await run(arrival(offset))).toBe(0);
    expect(routings()).toBe(1);
    expect(drafts).toEqual([
      expect.objectContaining({
        kind: 'dead_letters',
        channel: 'email',
        recipientId: 'group',
        level: 3,
        status: 'queued',
        findingId: 'dlq@2026-03-10T02:00:00.000Z',
        dueAt: new Date('2026-03-10T02:10:05Z'),
      }),
    ]);
  });

  it('ignores an arrival already recorded, and opens a new window after the end of the last', async () => {
    const { drafts, run, clock } = setup();
    await run(arrival(1));
    expect(await run(arrival(1))).toBe(0);
    clock.set('2026-03-10T02:10:00Z');
    expect(await run(arrival(2))).toBe(1);
    expect(drafts.map((d) => d.findingId)).toEqual([
      'dlq@2026-03-10T02:00:00.000Z',
      'dlq@2026-03-10T02:10:00.000Z',
    ]);
  });
});

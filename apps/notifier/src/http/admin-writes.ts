import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, CLOCK, Clock } from '@lib/common';
import { NotificationChannel } from '@lib/notifications';
import { queryOne, queryRows, returningRows } from '@lib/persistence';
import { Actor, actorOf, AuditEntry, AuditLog, Principal } from '@lib/platform';
import { NotificationRow } from '../notifications/notification.model';
import { NotificationRepository } from '../notifications/notification.repository';
import { RecipientRepository } from '../routing/recipient.repository';
import { Recipient, RoutingRule } from '../routing/routing.model';
import { RecipientBody, RuleBody } from './admin.schemas';
import { ScopedReads } from './scoped-reads';

type Change = Omit<AuditEntry, 'at' | 'actor'>;

/**
 * Every change a person (or the admin token) makes through the notifier's API, each in one transaction with its
 * audit_log entry, so that a change and its record land or fail together. The SQL is the repositories' own, run on the
 * transaction's manager (their save/remove open their own transactions).
 */
@Injectable()
export class AdminWrites {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly recipients: RecipientRepository,
    private readonly notifications: NotificationRepository,
    private readonly reads: ScopedReads,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  saveRecipient(principal: Principal, body: RecipientBody, id?: string): Promise<Recipient> {
    return this.change(principal, async (manager, now) => {
      const existing = id ? await this.recipients.get(id, manager) : undefined;
      if (id && !existing) throw recipientNotFound(id);
      const recipientId = id ?? randomUUID();
      await manager.query(
        `INSERT INTO recipients (id, name, email, mobile, language, quiet_start, quiet_end, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
         ON CONFLICT (id) DO UPDATE SET name = $2, email = $3, mobile = $4, language = $5, quiet_start = $6,
                                        quiet_end = $7, active = $8, updated_at = $9`,
        [
          recipientId,
          body.name,
          body.email,
          body.mobile,
          body.language,
          body.quietHours?.start ?? null,
          body.quietHours?.end ?? null,
          body.active,
          now,
        ],
      );
      await manager.query('DELETE FROM recipient_scopes WHERE recipient_id = $1', [recipientId]);
      await manager.query(
        `INSERT INTO recipient_scopes (recipient_id, tax_no, branch_id, level)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::smallint[]) ON CONFLICT DO NOTHING`,
        [
          recipientId,
          body.scopes.map((s) => s.taxNo),
          body.scopes.map((s) => s.branchId),
          body.scopes.map((s) => s.level),
        ],
      );
      const saved = (await this.recipients.get(recipientId, manager)) as Recipient;
      return {
        result: saved,
        change: {
          action: existing ? 'recipient.update' : 'recipient.create',
          targetType: 'recipient',
          targetId: recipientId,
          detail: { name: body.name, active: body.active, scopes: body.scopes },
        },
      };
    });
  }

  removeRecipient(principal: Principal, id: string): Promise<void> {
    return this.change(principal, async (manager) => {
      const rows = await returningRows<{ id: string; name: string }>(
        manager,
        'DELETE FROM recipients WHERE id = $1 RETURNING id, name',
        [id],
      );
      if (rows.length === 0) throw recipientNotFound(id);
      return {
        result: undefined,
        change: { action: 'recipient.delete', targetType: 'recipient', targetId: id, detail: { name: rows[0].name } },
      };
    });
  }

  saveRule(principal: Principal, body: RuleBody, id?: string): Promise<RoutingRule> {
    return this.change(principal, async (manager, now) => {
      const existing = id
        ? await queryOne<{ created_at: Date }>(manager, 'SELECT created_at FROM routing_rules WHERE id = $1', [id])
        : undefined;
      if (id && !existing) throw new AppError('RULE_NOT_FOUND', 'not_found', `rule ${id} does not exist`);
      const rule: RoutingRule = { id: id ?? randomUUID(), ...body, createdAt: existing?.created_at ?? now, updatedAt: now };
      await manager.query(
        `INSERT INTO routing_rules (id, finding_type, min_severity, channels, level, mode, priority, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET finding_type = $2, min_severity = $3, channels = $4, level = $5, mode = $6,
                                        priority = $7, updated_at = $9`,
        [rule.id, rule.findingType, rule.minSeverity, rule.channels, rule.level, rule.mode, rule.priority, rule.createdAt, now],
      );
      return {
        result: rule,
        change: {
          action: existing ? 'rule.update' : 'rule.create',
          targetType: 'rule',
          targetId: rule.id,
          detail: { ...body },
        },
      };
    });
  }

  removeRule(principal: Principal, id: string): Promise<void> {
    return this.change(principal, async (manager) => {
      const rows = await returningRows<{ id: string }>(manager, 'DELETE FROM routing_rules WHERE id = $1 RETURNING id', [id]);
      if (rows.length === 0) throw new AppError('RULE_NOT_FOUND', 'not_found', `rule ${id} does not exist`);
      return { result: undefined, change: { action: 'rule.delete', targetType: 'rule', targetId: id } };
    });
  }

  /**
   * Queues a failed or held (outcome unknown) notification again, same Message-ID / OutId. One outside the caller's
   * branches answers like an unknown id.
   */
  resend(principal: Principal, id: string): Promise<NotificationRow> {
    return this.change(principal, async (manager, now) => {
      const found = await this.reads.notification(id, principal.scope, manager, true);
      if (!found) throw notificationNotFound(id);
      if (found.status !== 'failed' && found.status !== 'unknown')
        throw new AppError(
          'NOT_RESENDABLE',
          'conflict',
          `notification ${id} is ${found.status}; only failed or unknown ones can be resent`,
        );
      const [row] = await queryRows<NotificationRow>(
        manager,
        `WITH changed AS (UPDATE notifications SET status = 'queued', due_at = $2, updated_at = $2, attempts = 0
                            WHERE id = $1 RETURNING *)
         SELECT * FROM changed`,
        [id, now],
      );
      return {
        result: row,
        change: {
          action: 'notification.resend',
          targetType: 'notification',
          targetId: id,
          branchId: found.branch_id,
          taxNo: found.tax_no,
          detail: { previousStatus: found.status, channel: found.channel, findingId: found.finding_id },
        },
      };
    });
  }

  /** A test message to a recipient on one channel, through the real queue and sender (no quiet hours or rate limit). */
  testSend(principal: Principal, recipientId: string, channel: NotificationChannel): Promise<NotificationRow> {
    return this.change(principal, async (manager, now) => {
      const recipient = await this.recipients.get(recipientId, manager);
      if (!recipient) throw recipientNotFound(recipientId);
      const destination = channel === 'email' ? recipient.email : recipient.mobile;
      if (!destination)
        throw new AppError('NO_ADDRESS', 'validation', `recipient ${recipientId} has no ${channel === 'email' ? 'email' : 'mobile'}`);
      const [id] = await this.notifications.insert(
        manager,
        [
          {
            dedupeKey: `test:${randomUUID()}`,
            kind: 'test',
            channel,
            recipientId,
            destination,
            language: recipient.language,
            findingId: null,
            severity: null,
            level: null,
            status: 'queued',
            dueAt: now,
          },
        ],
        now,
      );
      const row = (await queryOne<NotificationRow>(manager, 'SELECT * FROM notifications WHERE id = $1', [id])) as NotificationRow;
      return {
        result: row,
        change: { action: 'notification.test-send', targetType: 'notification', targetId: String(id), detail: { recipientId, channel } },
      };
    });
  }

  private change<T>(
    principal: Principal,
    work: (manager: EntityManager, now: Date) => Promise<{ result: T; change: Change }>,
  ): Promise<T> {
    const actor: Actor = actorOf(principal);
    const at = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const { result, change } = await work(manager, at);
      await this.audit.record(manager, { ...change, at, actor });
      return result;
    });
  }
}

export function recipientNotFound(id: string): AppError {
  return new AppError('RECIPIENT_NOT_FOUND', 'not_found', `recipient ${id} does not exist`);
}

export function notificationNotFound(id: string): AppError {
  return new AppError('NOTIFICATION_NOT_FOUND', 'not_found', `notification ${id} does not exist`);
}

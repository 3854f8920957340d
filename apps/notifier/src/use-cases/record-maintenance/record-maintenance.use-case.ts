import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { maintenanceKey, maintenanceRef, noticesOf } from '../../maintenance/maintenance-notice.model';
import { MaintenanceWindowRepository } from '../../maintenance/maintenance-window.repository';
import { NotificationDraft } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';
import { destinationOf, RoutedDelivery } from '../../routing/routing.model';
import { RecipientRepository } from '../../routing/recipient.repository';
import { route } from '../../routing/routing.rules';
import { RuleRepository } from '../../routing/rule.repository';
import { RecordMaintenanceCommand } from './record-maintenance.command';

/** Maintenance notices are routed like a warning about the whole taxpayer (rules may name `MAINTENANCE`). */
const SEVERITY = 'warning';

/**
 * A maintenance window was announced, changed or cancelled: keep its latest revision, and schedule this revision's
 * notices for the routed recipients (noticesOf: now, the reminder before the start, the end; or the cancellation).
 * One notification per (revision, notice, recipient, channel), so a redelivered or republished event adds nothing; the
 * notices of an earlier revision are dropped when they come due (the composer sees the revision has moved on). A
 * window about every taxpayer reaches whoever is responsible for any.
 */
@Injectable()
export class RecordMaintenanceUseCase {
  constructor(
    private readonly windows: MaintenanceWindowRepository,
    private readonly notifications: NotificationRepository,
    private readonly recipients: RecipientRepository,
    private readonly rules: RuleRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many notifications were recorded. */
  async execute(manager: EntityManager, { window }: RecordMaintenanceCommand): Promise<number> {
    if (!(await this.windows.apply(manager, window))) return 0;
    const now = this.clock.now();
    const notices = noticesOf(window, now, this.config.NOTIFIER_MAINTENANCE_LEAD_MS);
    if (notices.length === 0) return 0;
    const ref = maintenanceRef(window.windowId, window.revision);
    const drafts = (await this.routed(manager, window.taxNos)).flatMap((d) =>
      notices.map(
        (notice): NotificationDraft => ({
          dedupeKey: maintenanceKey(ref, notice.kind, d.recipient.id, d.channel),
          kind: notice.kind,
          channel: d.channel,
          recipientId: d.recipient.id,
          destination: destinationOf(d.recipient, d.channel) as string,
          language: d.recipient.language,
          findingId: ref,
          severity: SEVERITY,
          level: d.level,
          // A digest rule only limits the channels: a notice is told when it is due, never digested.
          status: 'queued',
          dueAt: notice.dueAt,
        }),
      ),
    );
    return (await this.notifications.insert(manager, drafts, now)).length;
  }

  /** Each recipient and channel once, however many of the window's taxpayers they are responsible for. */
  private async routed(manager: EntityManager, taxNos: string[] | null): Promise<RoutedDelivery[]> {
    const rules = await this.rules.all(manager);
    const seen = new Map<string, RoutedDelivery>();
    for (const taxNo of taxNos ?? (await this.recipients.scopedTaxNos(manager))) {
      const routed = route(
        rules,
        await this.recipients.forTaxNo(taxNo, manager),
        { type: 'MAINTENANCE', severity: SEVERITY, taxNo, branchId: null },
        this.config.NOTIFIER_ESCALATION_MAX_LEVEL,
      );
      for (const d of routed) if (!seen.has(`${d.recipient.id}:${d.channel}`)) seen.set(`${d.recipient.id}:${d.channel}`, d);
    }
    return [...seen.values()];
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock, ID_SOURCE, IdSource } from '@lib/common';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { recipientNotFound } from '../../notifier.exception';
import { RecipientRepository } from '../../routing/recipient.repository';
import { Recipient, RecipientFields } from '../../routing/routing.model';

/** Creates a recipient (no id) or replaces one with its scopes; the change and its audit entry commit together. */
@Injectable()
export class SaveRecipientUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recipients: RecipientRepository,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  execute(body: RecipientFields, principal: Principal, id?: string): Promise<Recipient> {
    const now = this.clock.now();
    const actor = actorOf(principal);
    return this.dataSource.transaction(async (manager) => {
      const existing = id ? await this.recipients.get(id, manager) : undefined;
      if (id && !existing) throw recipientNotFound(id);
      const recipientId = id ?? this.ids.uuid();
      await this.recipients.save(manager, {
        id: recipientId,
        ...body,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      await this.audit.record(manager, {
        at: now,
        actor,
        action: existing ? 'recipient.update' : 'recipient.create',
        targetType: 'recipient',
        targetId: recipientId,
        detail: { name: body.name, active: body.active, scopes: body.scopes },
      });
      return (await this.recipients.get(recipientId, manager)) as Recipient;
    });
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError, CLOCK, Clock } from '@lib/common';
import { RecipientBody } from '../../http/admin.schemas';
import { RecipientRepository } from '../../routing/recipient.repository';
import { Recipient } from '../../routing/routing.model';

/** Creates a recipient (no id) or replaces one (with its scopes). */
@Injectable()
export class SaveRecipientUseCase {
  constructor(
    private readonly recipients: RecipientRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(body: RecipientBody, id?: string): Promise<Recipient> {
    const now = this.clock.now();
    const existing = id ? await this.recipients.get(id) : undefined;
    if (id && !existing)
      throw new AppError('RECIPIENT_NOT_FOUND', 'not_found', `recipient ${id} does not exist`);
    const recipient: Recipient = {
      id: id ?? randomUUID(),
      ...body,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await this.recipients.save(recipient);
    return (await this.recipients.get(recipient.id)) as Recipient;
  }
}

import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RecipientRepository } from '../../routing/recipient.repository';
import { Recipient } from '../../routing/routing.model';

@Injectable()
export class ListRecipientsUseCase {
  constructor(private readonly recipients: RecipientRepository) {}

  list(filter: { taxNo?: string; branchId?: string }): Promise<Recipient[]> {
    return this.recipients.list(filter);
  }

  async get(id: string): Promise<Recipient> {
    const recipient = await this.recipients.get(id);
    if (!recipient) throw new AppError('RECIPIENT_NOT_FOUND', 'not_found', `recipient ${id} does not exist`);
    return recipient;
  }
}

import { Injectable } from '@nestjs/common';
import { AppError } from '@lib/common';
import { RecipientRepository } from '../../routing/recipient.repository';

/** Removes a recipient; their delivery log stays (recipient id cleared). */
@Injectable()
export class RemoveRecipientUseCase {
  constructor(private readonly recipients: RecipientRepository) {}

  async execute(id: string): Promise<void> {
    if (!(await this.recipients.remove(id)))
      throw new AppError('RECIPIENT_NOT_FOUND', 'not_found', `recipient ${id} does not exist`);
  }
}

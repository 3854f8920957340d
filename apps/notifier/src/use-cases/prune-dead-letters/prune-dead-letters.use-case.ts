import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@lib/common';
import { DeadLetterRepository } from '../../dead-letters/dead-letter.repository';
import { NotifierConfig } from '../../notifier.config';
import { NOTIFIER_CONFIG } from '../../notifier.tokens';

const BATCH = 5_000;
const DAY_MS = 86_400_000;

/** Keeps `dead_letters` to NOTIFIER_DLQ_RETENTION_DAYS, a bounded batch per scheduler pass (replicas share it). */
@Injectable()
export class PruneDeadLettersUseCase {
  constructor(
    private readonly deadLetters: DeadLetterRepository,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returns how many arrivals were deleted. */
  execute(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.NOTIFIER_DLQ_RETENTION_DAYS * DAY_MS);
    return this.deadLetters.prune(before, BATCH);
  }
}

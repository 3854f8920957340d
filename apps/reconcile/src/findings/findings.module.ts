import { Module } from '@nestjs/common';
import { FindingEventsPublisher } from './finding-events.publisher';
import { FindingsMergeService } from './findings-merge.service';
import { FindingsQueryRepository } from './findings-query.repository';
import { FindingTransitionsRepository } from './finding-transitions.repository';
import { FindingsRepository } from './findings.repository';

/** Findings: the merge of a run's discrepancies, their table and queries, and their events. */
@Module({
  providers: [FindingsRepository, FindingTransitionsRepository, FindingsQueryRepository, FindingEventsPublisher, FindingsMergeService],
  exports: [FindingsRepository, FindingsQueryRepository, FindingEventsPublisher, FindingsMergeService],
})
export class FindingsModule {}

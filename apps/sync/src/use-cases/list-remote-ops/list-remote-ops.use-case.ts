import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, Clock } from '@lib/common';
import { periodOf, previousPeriod } from '@lib/domain';
import { Principal, scopeParam } from '@lib/platform';
import { RemoteOpJobsRepository } from '../../remote-ops/remote-op-jobs.repository';
import { RemoteOpListState, RemoteOpView } from '../../remote-ops/remote-ops.model';
import { openFilingWindow } from '../../remote-ops/remote-ops.policy';
import { decodeRemoteOpsCursor, encodeRemoteOpsCursor } from '../../remote-ops/remote-ops-cursor';

/** The period's hosted devices and their jobs within the caller's branches, one keyset page at a time. */
@Injectable()
export class ListRemoteOpsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: RemoteOpJobsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(
    query: { period?: string; taxNo?: string; state?: RemoteOpListState; cursor?: string; limit: number },
    principal: Principal,
  ): Promise<{ period: string; items: RemoteOpView[]; nextCursor: string | null }> {
    const now = this.clock.now();
    const period = query.period ?? openFilingWindow(now)?.period ?? previousPeriod(periodOf(now));
    const items = await this.jobs.list(this.dataSource.manager, {
      period,
      taxNo: query.taxNo,
      state: query.state,
      afterDeviceId: query.cursor ? decodeRemoteOpsCursor(query.cursor) : undefined,
      limit: query.limit,
      branches: scopeParam(principal.scope),
    });
    const last = items[items.length - 1];
    return {
      period,
      items,
      nextCursor: items.length === query.limit && last ? encodeRemoteOpsCursor(last.deviceId) : null,
    };
  }
}

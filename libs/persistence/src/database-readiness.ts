import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadinessIndicator } from '@lib/observability';

/** Ready when the service's database answers. */
@Injectable()
export class DatabaseReadiness implements ReadinessIndicator {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

import { DynamicModule, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createServiceDataSource, prepareSchema, ServiceDataSourceOptions } from './data-source.factory';

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

export interface DatabaseModuleOptions extends ServiceDataSourceOptions {
  /** Run pending migrations at start-up (default true). Set false when a separate job migrates. */
  migrate?: boolean;
}

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  constructor(private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy().catch((error: unknown) => this.logger.warn(`close failed: ${String(error)}`));
    }
  }
}

/**
 * Provides the service's DataSource (initialised, migrated) to the whole application. Migrations run under a
 * per-schema advisory lock (see prepareSchema): replicas starting together wait for each other.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, useValue: options },
        {
          provide: DataSource,
          inject: [DATABASE_OPTIONS],
          useFactory: async (opts: DatabaseModuleOptions) => {
            const dataSource = createServiceDataSource(opts);
            await dataSource.initialize();
            if (opts.migrate !== false) {
              const logger = new Logger('Database');
              const applied = await prepareSchema(dataSource, opts.schema, {
                onWait: () => logger.log(`waiting for another process to finish migrating schema ${opts.schema}`),
              });
              if (applied.length > 0) logger.log(`applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        },
        DataSourceCloser,
      ],
      exports: [DataSource, DATABASE_OPTIONS],
    };
  }
}

export const InjectDatabaseOptions = () => Inject(DATABASE_OPTIONS);

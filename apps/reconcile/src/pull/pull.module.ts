import { DynamicModule, Module } from '@nestjs/common';
import { ReconcileConfig } from '../reconcile.config';
import { createAuthorityChannels } from './authority-channels.factory';
import { AuthorityChecksRepository } from './authority-checks.repository';
import { AUTHORITY_CHANNELS, AuthorityListChannel } from './authority-list.port';
import { InvoiceCheckChannel, INVOICE_CHECK_CHANNELS } from './invoice-check.port';
import { createInvoiceCheckChannels } from './invoice-check-channels.factory';
import { LedgerScopeRepository } from './ledger-scope.repository';
import { PER_INVOICE_SETTINGS, PerInvoicePullService, PerInvoiceSettings } from './per-invoice-pull.service';
import { PullMetrics } from './pull.metrics';
import { PULL_SETTINGS, PullService, PullSettings } from './pull.service';
import { StagingRepository } from './staging.repository';

/** What a test swaps (the app's overrides carry them): the listing channels and the per-invoice ones. */
export interface PullOverrides {
  channels?: AuthorityListChannel[];
  /** Per-invoice channels; when only `channels` is given, none (a test of the listing channels stays on them). */
  checkChannels?: InvoiceCheckChannel[];
}

/** The authority pull of a run: listing channels, then per invoice when none lists (docs/reconcile.md, "A run"). */
@Module({})
export class PullModule {
  static forRoot(config: ReconcileConfig, overrides: PullOverrides = {}): DynamicModule {
    return {
      module: PullModule,
      providers: [
        {
          provide: AUTHORITY_CHANNELS,
          useFactory: () => overrides.channels ?? createAuthorityChannels(config),
        },
        {
          provide: INVOICE_CHECK_CHANNELS,
          useFactory: () =>
            overrides.checkChannels ?? (overrides.channels ? [] : createInvoiceCheckChannels(config)),
        },
        { provide: PER_INVOICE_SETTINGS, useValue: perInvoiceSettingsFrom(config) },
        { provide: PULL_SETTINGS, useValue: pullSettingsFrom(config) },
        StagingRepository,
        LedgerScopeRepository,
        AuthorityChecksRepository,
        PerInvoicePullService,
        PullMetrics,
        PullService,
      ],
      // the staged records: the invoice timeline reads what the authority was seen to hold
      exports: [PullService, PULL_SETTINGS, StagingRepository],
    };
  }
}

export function pullSettingsFrom(config: ReconcileConfig): PullSettings {
  return {
    pageSize: config.RECONCILE_PULL_PAGE_SIZE,
    minIntervalMs: config.RECONCILE_PULL_MIN_INTERVAL_MS,
    pageAttempts: config.RECONCILE_PULL_PAGE_ATTEMPTS,
    backoffMs: config.RECONCILE_PULL_BACKOFF_MS,
    leaseMs: config.RECONCILE_RUN_LEASE_MS,
  };
}

export function perInvoiceSettingsFrom(config: ReconcileConfig): PerInvoiceSettings {
  return {
    pageSize: config.RECONCILE_PULL_PAGE_SIZE,
    attempts: config.RECONCILE_PULL_PAGE_ATTEMPTS,
    backoffMs: config.RECONCILE_PULL_BACKOFF_MS,
    minIntervalMs: config.RECONCILE_CHECK_MIN_INTERVAL_MS,
    maxChecks: config.RECONCILE_PER_INVOICE_MAX_CHECKS,
    reuseMs: config.RECONCILE_CHECK_REUSE_MS,
    visibilityLagMs: config.RECONCILE_VISIBILITY_LAG_MS,
  };
}

import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Clock } from '@lib/common';
import type { InvoiceTargetAdapter } from '../ports/invoice-target.port';
import type { TokenStore } from '../ports/token-store.port';

/**
 * The authority is where every invoice must end up; platforms are optional routes (and failover paths) to it, taking
 * an invoice that was already issued. A `query` target is read only: its API can issue new invoices but cannot take
 * one issued elsewhere (Nuonuo, docs/sync.md "Nuonuo"), so it is never routed to, relayed through or sent an
 * invoice; its adapter answers lookups of orders already there and refuses uploads without calling it.
 */
export type TargetRole = 'authority' | 'platform' | 'query';

/** The parsed environment a target reads its own variables from (it holds every service variable). */
export type TargetEnv = Readonly<Record<string, unknown>>;

/** What an adapter factory gets besides the target's own settings. */
export interface TargetAdapterDeps {
  tokens: TokenStore;
  clock: Clock;
  logger?: Logger;
  /** Keep-alive sockets: the caller's concurrency towards this target. */
  maxSockets: number;
}

/**
 * One target, declared in one file: adding a vendor adds a definition to the registry, never an `if` elsewhere.
 * Its variables are `<envPrefix>_*` (base URL, credentials, `_TIMEOUT_MS`, `_BREAKER_*`); a caller that runs
 * deliveries reads its concurrency as `SYNC_CONCURRENCY_<envPrefix>`, `concurrency` by default.
 */
export interface TargetDefinition<S = unknown, E extends z.ZodRawShape = z.ZodRawShape> {
  readonly name: string;
  readonly role: TargetRole;
  readonly envPrefix: string;
  readonly concurrency: number;
  /** Its variables, as zod fields of the service's environment schema. */
  readonly env: E;
  /** Variables this environment needs but leaves unset (credentials of a target whose URL is set). */
  missing(env: TargetEnv): string[];
  /** Its connection, or undefined when it is not configured here (no adapter: its deliveries wait). */
  settings(env: TargetEnv): S | undefined;
  createAdapter(settings: S, deps: TargetAdapterDeps): InvoiceTargetAdapter;
}

/** Any registered target, whatever its settings. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTargetDefinition = TargetDefinition<any, z.ZodRawShape>;

/** The variables among `names` that are empty in `env`. */
export function unsetIn(env: TargetEnv, names: readonly string[]): string[] {
  return names.filter((name) => env[name] === '' || env[name] === undefined);
}

import type { Actor } from '@lib/platform';
import { TargetName } from '@lib/providers';

/** A registered target with the platform role (libs/providers' target registry). */
export type PlatformName = string;

/** Which systems a taxpayer's invoices must reach. The authority is always one of them. */
export interface Routing {
  taxNo: string;
  /** Platforms in order of preference (also the order failover tries them in). */
  platforms: PlatformName[];
  /** When the authority is unreachable, may a platform carry the invoice to it? */
  allowFailover: boolean;
}

export interface StoredRouting extends Routing {
  /** Who set it last; null for the configured default. */
  updatedBy: Actor | null;
  createdAt: Date;
  updatedAt: Date;
  /** False when no row exists and the configured default applies. */
  explicit: boolean;
}

/** The targets a routing's invoices go to: the authority, then its platforms. */
export function targetsOf(routing: Pick<Routing, 'platforms'>, authority: TargetName): TargetName[] {
  return [authority, ...routing.platforms];
}

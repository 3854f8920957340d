import { TargetName } from '@lib/providers';

export const PLATFORMS = ['baiwang', 'nuonuo'] as const;
export type PlatformName = (typeof PLATFORMS)[number];

/** Which systems a taxpayer's invoices must reach. The authority is always one of them. */
export interface Routing {
  taxNo: string;
  /** Platforms in order of preference (also the order failover tries them in). */
  platforms: PlatformName[];
  /** When the authority is unreachable, may a platform carry the invoice to it? */
  allowFailover: boolean;
}

export interface StoredRouting extends Routing {
  updatedBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** False when no row exists and the configured default applies. */
  explicit: boolean;
}

export function targetsOf(routing: Pick<Routing, 'platforms'>): TargetName[] {
  return ['authority', ...routing.platforms];
}

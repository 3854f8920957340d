import { TargetName } from '@lib/providers';
import { DeliveryStatus } from './delivery.model';
import { PlatformName, Routing } from '../routing/routing.model';

export interface PlatformDeliveryView {
  target: TargetName;
  status: DeliveryStatus;
}

/**
 * Whether an authority delivery goes through a platform instead (failover), and which one. Only when
 * the authority is unreachable (its breaker is open), the taxpayer allows it, and one of the taxpayer's
 * own platforms (it must be onboarded there) is reachable and has not given up on this invoice.
 * A platform that already has the invoice is preferred: nothing needs to be sent at all.
 */
export function chooseRelayPlatform(
  routing: Routing,
  authorityAvailable: boolean,
  platformAvailable: (platform: PlatformName) => boolean,
  platformDeliveries: PlatformDeliveryView[],
): PlatformName | null {
  if (authorityAvailable || !routing.allowFailover) return null;
  const statusOf = (p: PlatformName) => platformDeliveries.find((d) => d.target === p)?.status;
  const usable = routing.platforms.filter((p) => {
    const status = statusOf(p);
    return status !== undefined && status !== 'rejected' && status !== 'dead' && platformAvailable(p);
  });
  return usable.find((p) => statusOf(p) === 'accepted') ?? usable[0] ?? null;
}

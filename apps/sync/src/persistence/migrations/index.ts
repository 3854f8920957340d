import { CreateDeliveries1764000000001 } from './create-deliveries.migration';
import { CreateLedger1764000000000 } from './create-ledger.migration';
import { CreateRemoteOps1764000000005 } from './create-remote-ops.migration';
import { CreateRouting1764000000002 } from './create-routing.migration';
import { NuonuoQueryOnly1766000000016 } from './nuonuo-query-only.migration';
import { OpenTargetNames1764000000003 } from './open-target-names.migration';
import { RoutingUpdatedByActor1764000000004 } from './routing-updated-by-actor.migration';
import { SealPlatformTokens1764000000017 } from './seal-platform-tokens.migration';

/** Sync's own migrations, in order (the outbox and inbox come from the platform). */
export const SYNC_MIGRATIONS = [
  CreateLedger1764000000000,
  CreateDeliveries1764000000001,
  CreateRouting1764000000002,
  OpenTargetNames1764000000003,
  RoutingUpdatedByActor1764000000004,
  CreateRemoteOps1764000000005,
  SealPlatformTokens1764000000017,
  NuonuoQueryOnly1766000000016,
];

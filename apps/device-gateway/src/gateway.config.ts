import { z } from 'zod';
import { envBool, envInt, envString, loadConfig } from '@lib/common';
import { serviceEnvSchema } from '@lib/platform';
import { parseMasterKeys } from './secrets/master-key-ring';

const BODY_SIZE = /^\d+(b|kb|mb)$/i;

/** The gateway's own variables on top of every service's (see docs/device-gateway.md, "Configuration"). */
export const gatewayEnvSchema = serviceEnvSchema('gateway')
  .extend({
    /** Bearer token of the admin API; unset = admin API answers 503 ADMIN_API_DISABLED. */
    GATEWAY_ADMIN_TOKEN: envString('').pipe(
      z.string().refine((t) => t === '' || t.length >= 16, { message: 'must be at least 16 characters' }),
    ),
    /** `k1:<base64 32 bytes>,k2:...`: AES-256-GCM keys for device secrets. */
    GATEWAY_MASTER_KEYS: envString(''),
    GATEWAY_ACTIVE_KEY_ID: envString(''),
    /**
     * Largest body of POST /v1/invoices (express syntax). Measured: 1,000 invoices of 1-3 lines take 0.8 MB, of 8
     * lines 1.7 MB (2.8 MB pretty-printed).
     */
    GATEWAY_MAX_BODY: envString('4mb').pipe(z.string().regex(BODY_SIZE, 'must look like 512kb or 4mb')),
    /** Largest body of every other route (device events, admin calls): the largest of them is a few kB. */
    GATEWAY_MAX_EVENT_BODY: envString('64kb').pipe(z.string().regex(BODY_SIZE, 'must look like 64kb or 1mb')),
    GATEWAY_RATE_LIMIT_PER_MINUTE: envInt(600, 1, 1_000_000),
    /** Token bucket size; 0 = one minute's worth. */
    GATEWAY_RATE_LIMIT_BURST: envInt(0, 0, 1_000_000),
    GATEWAY_CLOCK_SKEW_MS: envInt(300_000, 1_000, 3_600_000),
    /** How long a replica trusts its in-memory copy of a device (a disable elsewhere takes effect within it). */
    GATEWAY_DEVICE_CACHE_TTL_MS: envInt(30_000, 0, 600_000),
    /**
     * How long a replica remembers that an id names no device (kept apart from the devices, so unknown ids never
     * evict them); short, so a device registered through another replica is soon found here.
     */
    GATEWAY_UNKNOWN_DEVICE_CACHE_TTL_MS: envInt(5_000, 0, 60_000),
    GATEWAY_NONCE_CLEANUP_INTERVAL_MS: envInt(60_000, 1_000, 3_600_000),
    /**
     * Obsolete, accepted and ignored (deployments still set it): invoice keys are locked per outbox bucket, at most
     * OUTBOX_LOCK_BUCKETS locks per request, so there is no budget to size any more.
     */
    GATEWAY_LOCK_BUDGET: envString(''),
    /**
     * Run the outbox relay in this process (one leader among all that do). Under heavy load, serve devices from
     * replicas with false and let one replica that gets no device traffic relay: the relay then has an event loop
     * of its own instead of waiting behind request handling.
     */
    GATEWAY_OUTBOX_RELAY: envBool(true),
  })
  .superRefine((env, ctx) => {
    const parsed = parseMasterKeys(env.GATEWAY_MASTER_KEYS, env.GATEWAY_ACTIVE_KEY_ID);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['GATEWAY_MASTER_KEYS'], message: parsed.problem });
  });

export type GatewayConfig = z.infer<typeof gatewayEnvSchema>;

export const loadGatewayConfig = (env: NodeJS.ProcessEnv = process.env): GatewayConfig =>
  loadConfig(gatewayEnvSchema, env);

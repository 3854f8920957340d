import { z } from 'zod';

/** `wecom`, `dingtalk`, `feishu`: the group robots (served on one app; a `refuse` outage answers a bare 503 there). */
export const SANDBOX_TARGETS = [
  'authority',
  'baiwang',
  'nuonuo',
  'sms',
  'smtp',
  'wecom',
  'dingtalk',
  'feishu',
] as const;
export type SandboxTarget = (typeof SANDBOX_TARGETS)[number];

const probability = z.number().min(0).max(1);
const keyedFault = z.object({
  probability: probability.default(0),
  /** Invoice keys (authority, baiwang) or orderNos (nuonuo) always affected. */
  invoiceKeys: z.array(z.string()).default([]),
});

/** Fault configuration of one target. Every field is optional; setting a target replaces its previous faults. */
export const faultSpecSchema = z.object({
  /** Restricts the faults to these operations (see docs/sandbox.md); all operations when absent. */
  operations: z.array(z.string()).optional(),
  latency: z
    .object({ fixedMs: z.number().int().min(0).default(0), jitterMs: z.number().int().min(0).default(0) })
    .optional(),
  /** Probability of answering a 5xx before doing anything. */
  errorRate: probability.optional(),
  errorStatus: z.number().int().min(500).max(599).default(500),
  /** Never answer (the client times out); probability defaults to 1. */
  hang: z.object({ probability: probability.default(1) }).optional(),
  /** Real-time window; `durationMs` counts from now. mode refuse closes the listener (connection refused). */
  outage: z
    .object({
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
      durationMs: z.number().int().positive().optional(),
      mode: z.enum(['refuse', 'unavailable']).default('unavailable'),
      retryAfterSeconds: z.number().int().min(1).default(30),
    })
    .optional(),
  /** At most `limit` requests per fixed window; then 429 + Retry-After (E9613 envelope on nuonuo). */
  rateLimit: z
    .object({
      limit: z.number().int().min(0),
      windowMs: z.number().int().positive().default(1000),
      retryAfterSeconds: z.number().int().min(1).optional(),
    })
    .optional(),
  /** Uploads acknowledged but never visible (the platform loses them). */
  neverVisible: keyedFault.optional(),
  /** The upload is recorded, then the socket is destroyed instead of answering. */
  responseLost: keyedFault.optional(),
  /** Extra delay per list page (authority). */
  slowPagination: z.object({ perPageMs: z.number().int().min(0) }).optional(),
  /** Nuonuo issuing outcome: 22 failed or 24 seal failed, instead of 2 done. */
  issueFailure: z
    .object({
      probability: probability.default(0),
      status: z.enum(['22', '24']).default('22'),
      orderNos: z.record(z.string(), z.enum(['22', '24'])).default({}),
    })
    .optional(),
});
export type FaultSpec = z.infer<typeof faultSpecSchema>;

export const setFaultsRequestSchema = faultSpecSchema.extend({ target: z.enum(SANDBOX_TARGETS) });

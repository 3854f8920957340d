import { randomBytes } from 'node:crypto';

/** W3C Trace Context `traceparent`: `version-traceId-parentId-flags`, e.g. `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`. */
export interface TraceContext {
  version: string;
  traceId: string;
  parentId: string;
  flags: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

export type RandomHex = (bytes: number) => string;
const cryptoHex: RandomHex = (bytes) => randomBytes(bytes).toString('hex');

/** Parses a traceparent header; null when invalid (a receiver then starts a new trace, as the spec says). */
export function parseTraceparent(header: unknown): TraceContext | null {
  if (typeof header !== 'string') return null;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return null;
  const [, version, traceId, parentId, flags, rest] = match;
  if (version === 'ff' || traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return null;
  if (version === '00' && rest !== undefined) return null;
  return { version, traceId, parentId, flags, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(context: Pick<TraceContext, 'traceId' | 'parentId' | 'sampled'>): string {
  return `00-${context.traceId}-${context.parentId}-${context.sampled ? '01' : '00'}`;
}

/** Starts a new trace. */
export function generateTraceparent(options: { sampled?: boolean; random?: RandomHex } = {}): string {
  const random = options.random ?? cryptoHex;
  return formatTraceparent({
    traceId: nonZero(random, 16, ZERO_TRACE_ID),
    parentId: nonZero(random, 8, ZERO_PARENT_ID),
    sampled: options.sampled ?? true,
  });
}

/** Continues the trace of `parent` with a new span id; starts a new trace when the parent is absent or invalid. */
export function childTraceparent(parent: unknown, options: { random?: RandomHex } = {}): string {
  const context = parseTraceparent(parent);
  if (!context) return generateTraceparent(options);
  const random = options.random ?? cryptoHex;
  return formatTraceparent({ ...context, parentId: nonZero(random, 8, ZERO_PARENT_ID) });
}

function nonZero(random: RandomHex, bytes: number, zero: string): string {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const hex = random(bytes).toLowerCase();
    if (hex.length !== bytes * 2 || !/^[0-9a-f]+$/.test(hex))
      throw new TypeError(`random must return ${bytes * 2} hex digits`);
    if (hex !== zero) return hex;
  }
  throw new Error('random source keeps returning zeros');
}

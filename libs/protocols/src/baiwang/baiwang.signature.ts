import { md5HexUpper, randomAlnum, safeEqual, type RandomInt } from '../shared/crypto.util';

/**
 * Baiwang open-platform system parameters, sent as the query string of `POST /router/rest`.
 * Extra query parameters, if any, take part in the signature the same way.
 */
export interface BaiwangSystemParams {
  method: string;
  appKey: string;
  token?: string;
  /** Unix epoch milliseconds, as a string. */
  timestamp: string;
  format?: string;
  version: string;
  type?: string;
  requestId?: string;
  sign?: string;
  [extra: string]: string | undefined;
}

/**
 * sign = upper-case hex MD5( appSecret + Σ(key + value) + body + appSecret ), the sum running over the
 * non-empty parameters sorted by key (code-unit order), excluding `sign` itself. The body must be the
 * exact string whose UTF-8 bytes are sent.
 */
export function baiwangSign(
  appSecret: string,
  systemParams: Readonly<Record<string, string | undefined>>,
  body: string,
): string {
  const keys = Object.keys(systemParams)
    .filter((key) => key !== 'sign' && systemParams[key] !== undefined && systemParams[key] !== '')
    .sort();
  let text = appSecret;
  for (const key of keys) text += key + String(systemParams[key]);
  return md5HexUpper(text + body + appSecret);
}

export function verifyBaiwangSign(
  appSecret: string,
  params: Readonly<Record<string, string | undefined>>,
  body: string,
): boolean {
  const given = params.sign;
  if (!given) return false;
  return safeEqual(given.toUpperCase(), baiwangSign(appSecret, params, body));
}

export interface BaiwangRequestInput {
  appKey: string;
  appSecret: string;
  method: string;
  token?: string;
  version?: string;
  /** A string is sent as is; an object is serialised once with JSON.stringify. */
  body: string | object;
  timestamp?: number;
  requestId?: string;
  random?: RandomInt;
}

export interface BaiwangSignedRequest {
  params: BaiwangSystemParams;
  /** Encoded query string (without `?`) for `POST /router/rest`. */
  query: string;
  /** The exact body that was signed: send these bytes unchanged. */
  body: string;
}

/** Builds the signed query and body of one gateway call (what an adapter sends). */
export function buildBaiwangRequest(input: BaiwangRequestInput): BaiwangSignedRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const params: BaiwangSystemParams = {
    method: input.method,
    appKey: input.appKey,
    token: input.token,
    timestamp: String(input.timestamp ?? Date.now()),
    format: 'json',
    version: input.version ?? '6.0',
    type: 'sync',
    requestId: input.requestId ?? randomAlnum(32, input.random),
  };
  params.sign = baiwangSign(input.appSecret, params, body);
  const query = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return { params, query, body };
}

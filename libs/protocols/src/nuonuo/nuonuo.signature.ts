import { cryptoRandomInt, hmacBase64, randomAlnum, safeEqual, type RandomInt } from '../shared/crypto.util';

export const NUONUO_SERVICES_PATH = '/open/v1/services';
export const NUONUO_TOKEN_PATH = '/accessToken';
export const NUONUO_SENID_PATTERN = /^[A-Za-z0-9]{32}$/;
export const NUONUO_NONCE_PATTERN = /^\d{8}$/;

export interface NuonuoSignInput {
  appKey: string;
  senid: string;
  nonce: string;
  /** Unix epoch seconds. */
  timestamp: string | number;
  /** The exact body string sent. */
  body: string;
}

export function nuonuoStringToSign(input: NuonuoSignInput): string {
  return (
    `a=services&l=v1&p=open&k=${input.appKey}&i=${input.senid}` +
    `&n=${input.nonce}&t=${String(input.timestamp)}&f=${input.body}`
  );
}

/** X-Nuonuo-Sign = base64( HMAC-SHA1( appSecret, "a=services&l=v1&p=open&k=…&i=…&n=…&t=…&f=body" ) ), UTF-8 throughout. */
export function nuonuoSign(appSecret: string, input: NuonuoSignInput): string {
  return hmacBase64('sha1', appSecret, nuonuoStringToSign(input));
}

export function verifyNuonuoSign(appSecret: string, input: NuonuoSignInput, signature: string): boolean {
  return safeEqual(signature, nuonuoSign(appSecret, input));
}

/** A request id (senid): 32 alphanumeric characters. */
export function makeNuonuoSenid(random: RandomInt = cryptoRandomInt): string {
  return randomAlnum(32, random);
}

/** A nonce: 8 decimal digits (leading digit non-zero). */
export function makeNuonuoNonce(random: RandomInt = cryptoRandomInt): string {
  return String(10_000_000 + random(90_000_000));
}

export interface NuonuoRequestInput {
  appKey: string;
  appSecret: string;
  accessToken: string;
  userTax: string;
  method: string;
  body: string | object;
  senid?: string;
  nonce?: string;
  /** Unix epoch seconds. */
  timestamp?: number;
  random?: RandomInt;
}

export interface NuonuoSignedRequest {
  /** Path and query, e.g. `/open/v1/services?senid=…&nonce=…&timestamp=…&appkey=…`. */
  pathAndQuery: string;
  headers: Record<string, string>;
  /** The exact body that was signed: send these bytes unchanged. */
  body: string;
}

/** Builds one signed `POST /open/v1/services` call (what an adapter sends). */
export function buildNuonuoRequest(input: NuonuoRequestInput): NuonuoSignedRequest {
  const body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const senid = input.senid ?? makeNuonuoSenid(input.random);
  const nonce = input.nonce ?? makeNuonuoNonce(input.random);
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const sign = nuonuoSign(input.appSecret, { appKey: input.appKey, senid, nonce, timestamp, body });
  const query = new URLSearchParams({ senid, nonce, timestamp, appkey: input.appKey }).toString();
  return {
    pathAndQuery: `${NUONUO_SERVICES_PATH}?${query}`,
    headers: {
      'Content-Type': 'application/json;charset=utf-8',
      'X-Nuonuo-Sign': sign,
      accessToken: input.accessToken,
      userTax: input.userTax,
      method: input.method,
    },
    body,
  };
}

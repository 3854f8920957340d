import { hmacBase64, randomAlnum, safeEqual, type RandomInt } from '../shared/crypto.util';

/**
 * Aliyun RPC-style signature (SignatureVersion 1.0, HMAC-SHA1), as used by Dysms `SendSms`:
 *   canonical = sorted (by key) `enc(key)=enc(value)` joined by `&`, all parameters except `Signature`
 *   stringToSign = HTTP_METHOD + "&" + enc("/") + "&" + enc(canonical)
 *   Signature = base64( HMAC-SHA1( accessKeySecret + "&", stringToSign ) )
 * where enc is RFC 3986 percent-encoding of UTF-8 (space → %20, * → %2A, ~ kept).
 */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function aliyunStringToSign(httpMethod: string, params: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${aliyunPercentEncode(key)}=${aliyunPercentEncode(params[key])}`)
    .join('&');
  return `${httpMethod.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
}

export function aliyunSign(
  accessKeySecret: string,
  httpMethod: string,
  params: Readonly<Record<string, string>>,
): string {
  return hmacBase64('sha1', `${accessKeySecret}&`, aliyunStringToSign(httpMethod, params));
}

export function verifyAliyunSign(
  accessKeySecret: string,
  httpMethod: string,
  params: Readonly<Record<string, string>>,
): boolean {
  const given = params.Signature;
  return typeof given === 'string' && safeEqual(given, aliyunSign(accessKeySecret, httpMethod, params));
}

export interface SendSmsInput {
  accessKeyId: string;
  accessKeySecret: string;
  /** Comma-separated list, or an array. */
  phoneNumbers: string | string[];
  signName: string;
  templateCode: string;
  templateParam?: Record<string, string>;
  outId?: string;
  /** Defaults to now; ISO-8601 UTC without milliseconds. */
  timestamp?: Date;
  signatureNonce?: string;
  httpMethod?: 'POST' | 'GET';
  random?: RandomInt;
}

/** All parameters of one signed `SendSms` call, Signature included (form-encode them as the body or query). */
export function buildSendSmsParams(input: SendSmsInput): Record<string, string> {
  const params: Record<string, string> = {
    AccessKeyId: input.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    RegionId: 'cn-hangzhou',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: input.signatureNonce ?? randomAlnum(32, input.random),
    SignatureVersion: '1.0',
    Timestamp: (input.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Version: '2017-05-25',
    PhoneNumbers: Array.isArray(input.phoneNumbers) ? input.phoneNumbers.join(',') : input.phoneNumbers,
    SignName: input.signName,
    TemplateCode: input.templateCode,
  };
  if (input.templateParam) params.TemplateParam = JSON.stringify(input.templateParam);
  if (input.outId) params.OutId = input.outId;
  params.Signature = aliyunSign(input.accessKeySecret, input.httpMethod ?? 'POST', params);
  return params;
}

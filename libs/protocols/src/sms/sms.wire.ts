/** `SendSms` answer (HTTP 200 for business outcomes; Code "OK" on success). */
export interface SendSmsResponse {
  Code: string;
  Message: string;
  RequestId: string;
  BizId?: string;
}

/** Aliyun-style codes answered by the sandbox SMS gateway. */
export const SMS_CODES = {
  OK: 'OK',
  MISSING_PARAMETER: 'MissingParameter',
  INVALID_ACCESS_KEY: 'InvalidAccessKeyId.NotFound',
  SIGNATURE_MISMATCH: 'SignatureDoesNotMatch',
  TIMESTAMP_EXPIRED: 'InvalidTimeStamp.Expired',
  NONCE_USED: 'SignatureNonceUsed',
  MOBILE_ILLEGAL: 'isv.MOBILE_NUMBER_ILLEGAL',
  SIGN_NAME_ILLEGAL: 'isv.SMS_SIGNATURE_ILLEGAL',
  TEMPLATE_ILLEGAL: 'isv.SMS_TEMPLATE_ILLEGAL',
  TEMPLATE_PARAMS_MISSING: 'isv.TEMPLATE_MISSING_PARAMETERS',
  INVALID_JSON_PARAM: 'isv.INVALID_JSON_PARAM',
  THROTTLED: 'Throttling.User',
  SERVICE_UNAVAILABLE: 'ServiceUnavailable',
} as const;

/** Chinese mainland mobile number. */
export const CN_MOBILE_PATTERN = /^1[3-9]\d{9}$/;

/** A single SMS carries 70 characters; a longer one is split into parts of 67 (the rest is the UDH). */
export function smsSegmentCount(text: string): number {
  const length = [...text].length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { DEVICE_AUTH_MESSAGES } from '../auth/device-auth.errors';
import { API_SCHEMAS } from './api-schemas';

/** The four signed headers and the answers every device route can give besides its own. */
export function DeviceApiDocs(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({ name: 'X-Device-Id', required: true, description: 'the id the admin API returned' }),
    ApiHeader({
      name: 'X-Timestamp',
      required: true,
      description: 'Unix epoch milliseconds; at most 300 s from server time',
    }),
    ApiHeader({
      name: 'X-Nonce',
      required: true,
      description: '16-64 characters of [A-Za-z0-9_-], never reused within 300 s',
    }),
    ApiHeader({
      name: 'X-Signature',
      required: true,
      description:
        'base64(HMAC-SHA256(secret, METHOD \\n PATH_AND_QUERY \\n timestamp \\n nonce \\n hex(SHA-256(raw body bytes)))); see docs/device-gateway.md',
    }),
    ApiHeader({
      name: 'traceparent',
      required: false,
      description: 'W3C trace context; continued in the Kafka headers',
    }),
    ApiResponse({
      status: 400,
      description: 'malformed JSON, wrong shape, JSON_TOO_DEEP',
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({
      status: 401,
      description: `one of ${Object.keys(DEVICE_AUTH_MESSAGES).join(', ')}`,
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({
      status: 413,
      description: 'PAYLOAD_TOO_LARGE (GATEWAY_MAX_BODY)',
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({
      status: 415,
      description: 'UNSUPPORTED_MEDIA_TYPE: send application/json',
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({ status: 429, description: 'RATE_LIMITED; see Retry-After', schema: API_SCHEMAS.error }),
    ApiResponse({
      status: 503,
      description: 'STORE_UNAVAILABLE: nothing was accepted; retry after Retry-After',
      schema: API_SCHEMAS.error,
    }),
  );
}

export function AdminApiDocs(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiResponse({
      status: 401,
      description: 'UNAUTHENTICATED, INVALID_TOKEN, TOKEN_EXPIRED or PERSON_AUTH_DISABLED',
      schema: API_SCHEMAS.error,
    }),
    ApiResponse({
      status: 503,
      description: 'SECRET_STORE_DISABLED, STORE_UNAVAILABLE or IDP_UNAVAILABLE',
      schema: API_SCHEMAS.error,
    }),
  );
}

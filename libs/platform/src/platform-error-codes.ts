/** Every code the platform (auth, request parsing, audit, secrets, the Kafka edge) throws. On the wire: never rename one. */
export const PlatformErrorCode = {
  // who is calling
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  NO_ROLE: 'NO_ROLE',
  FORBIDDEN: 'FORBIDDEN',
  PERSON_AUTH_DISABLED: 'PERSON_AUTH_DISABLED',
  IDP_UNAVAILABLE: 'IDP_UNAVAILABLE',
  // what they sent
  INVALID_REQUEST: 'INVALID_REQUEST',
  INVALID_VALUE: 'INVALID_VALUE',
  INVALID_CURSOR: 'INVALID_CURSOR',
  // sealed secrets
  SECRET_STORE_DISABLED: 'SECRET_STORE_DISABLED',
  SECRET_KEY_UNAVAILABLE: 'SECRET_KEY_UNAVAILABLE',
  SECRET_UNREADABLE: 'SECRET_UNREADABLE',
  // a bug: a handler met an envelope the decoder did not check, or a guard met a route without a rule
  UNCHECKED_ENVELOPE: 'UNCHECKED_ENVELOPE',
  INTERNAL: 'INTERNAL',
} as const;
export type PlatformErrorCode = (typeof PlatformErrorCode)[keyof typeof PlatformErrorCode];

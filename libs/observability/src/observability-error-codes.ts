/** Every code observability throws. On the wire: never rename one. */
export const ObservabilityErrorCode = {
  INVALID_METRICS_TOKEN: 'INVALID_METRICS_TOKEN',
} as const;
export type ObservabilityErrorCode = (typeof ObservabilityErrorCode)[keyof typeof ObservabilityErrorCode];

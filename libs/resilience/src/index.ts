export * from './call-outcome';
export * from './classify-http-error';
export * from './resilient-http.client';
export { BreakerMetrics, breakerSnapshot, type BreakerSnapshot, type BreakerState } from './breaker-metrics';

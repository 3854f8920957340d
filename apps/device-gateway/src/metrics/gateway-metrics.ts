import { counter } from '@lib/observability';

const requests = counter('gateway_requests_total', 'Gateway requests by operation and outcome', [
  'operation',
  'outcome',
]);
const invoiceItems = counter('gateway_invoice_items_total', 'Invoice items answered, by status', ['status']);
const validationFailures = counter(
  'gateway_validation_failures_total',
  'Validation errors and warnings, by code',
  ['code', 'severity'],
);
const authFailures = counter(
  'gateway_auth_failures_total',
  'Rejected device and admin authentications, by code',
  ['code'],
);
const deviceEvents = counter('gateway_device_events_total', 'Device events answered, by type and status', [
  'type',
  'status',
]);

/** The gateway's own counters (HTTP latency, outbox depth and age come from the shared libs). */
export const gatewayMetrics = {
  request(operation: string, outcome: string): void {
    requests.inc({ operation, outcome });
  },
  invoiceItems(status: string, count: number): void {
    if (count > 0) invoiceItems.inc({ status }, count);
  },
  validation(codes: Iterable<{ code: string }>, severity: 'error' | 'warning'): void {
    for (const { code } of codes) validationFailures.inc({ code, severity });
  },
  authFailure(code: string): void {
    authFailures.inc({ code });
  },
  deviceEvent(type: string, status: string): void {
    deviceEvents.inc({ type, status });
  },
};

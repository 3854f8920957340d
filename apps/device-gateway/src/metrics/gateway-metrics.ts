import { Injectable } from '@nestjs/common';
import { counter } from '@lib/observability';

/**
 * The gateway's own counters (HTTP latency, outbox depth and age come from the shared libs). The helpers answer the
 * metric already registered under a name, so instances share them.
 */
@Injectable()
export class GatewayMetrics {
  private readonly requests = counter('gateway_requests_total', 'Gateway requests by operation and outcome', [
    'operation',
    'outcome',
  ]);
  private readonly invoiceItemsTotal = counter(
    'gateway_invoice_items_total',
    'Invoice items answered, by status',
    ['status'],
  );
  private readonly validationFailures = counter(
    'gateway_validation_failures_total',
    'Validation errors and warnings, by code',
    ['code', 'severity'],
  );
  private readonly authFailures = counter(
    'gateway_auth_failures_total',
    'Rejected device and admin authentications, by code',
    ['code'],
  );
  private readonly deviceEvents = counter(
    'gateway_device_events_total',
    'Device events answered, by type and status',
    ['type', 'status'],
  );

  request(operation: string, outcome: string): void {
    this.requests.inc({ operation, outcome });
  }

  invoiceItems(status: string, count: number): void {
    if (count > 0) this.invoiceItemsTotal.inc({ status }, count);
  }

  validation(codes: Iterable<{ code: string }>, severity: 'error' | 'warning'): void {
    for (const { code } of codes) this.validationFailures.inc({ code, severity });
  }

  authFailure(code: string): void {
    this.authFailures.inc({ code });
  }

  deviceEvent(type: string, status: string): void {
    this.deviceEvents.inc({ type, status });
  }
}

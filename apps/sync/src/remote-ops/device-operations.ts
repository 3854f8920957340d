import { DeviceOperationsPort, InvoiceTargetAdapter } from '@lib/providers';

/**
 * The device operations of the adapter sync already built for a target (`adapter.deviceOperations`), behind the same
 * breaker as its deliveries; undefined when the target has no adapter or the platform offers none.
 */
export function deviceOperationsOf(adapter: InvoiceTargetAdapter | undefined): DeviceOperationsPort | undefined {
  return (adapter as (InvoiceTargetAdapter & { deviceOperations?: DeviceOperationsPort }) | undefined)
    ?.deviceOperations;
}

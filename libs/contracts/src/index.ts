export * from './errors/field-error.model';
export * from './errors/zod-issue.mapper';

export * from './schemas/primitives.schema';

export * from './http/invoice-body.schema';
export * from './http/device-body.schema';
export * from './http/admin-body.schema';
export * from './http/reconcile-body.schema';
export * from './http/maintenance-body.schema';

export * from './validation/parse-body.validator';
export * from './validation/invoice-item.validator';

export * from './events/invoice-events.schema';
export * from './events/device-events.schema';
export * from './events/sync-events.schema';
export * from './events/finding-events.schema';
export * from './events/maintenance-events.schema';

export * from './kafka/topics.constants';
export * from './kafka/headers.constants';
export * from './kafka/traceparent.util';
export * from './kafka/event.catalogue';
export * from './kafka/envelope.schema';
export * from './kafka/envelope.codec';

export * from './findings/explain.model';
export * from './findings/explain';
export * from './findings/content-fields';
export {
  deviceRef,
  invoiceTypeName,
  money as formatMoney,
  period as formatPeriod,
} from './findings/explain-format';

export * from './devices/remote-ops';
export * from './devices/device-lifecycle';
export * from './devices/registered-device';
export * from './corrections/correction-states';
export * from './received/received-invoice.view';

export * from './common/domain.exception';

export * from './money/money.exception';
export * from './money/money.parser';
export * from './money/money.arithmetic';
export * from './money/rate.parser';
export * from './money/decimal.parser';

export * from './tax-id/uscc.validator';

export * from './time/local-date.util';
export * from './time/shanghai-time.util';
export * from './time/period.value';

export * from './calendar/filing-calendar.model';
export * from './calendar/filing-calendar.loader';
export * from './calendar/filing-deadline.rules';

export * from './invoice/invoice-type.table';
export * from './invoice/invoice.model';
export * from './invoice/invoice-format.rules';
export * from './invoice/invoice-key.util';
export * from './invoice/vat-rate.table';
export * from './invoice/verification.mapper';
export * from './invoice/buyer-identity';
export * from './invoice/void.rules';
export * from './invoice/rules/invoice-issue.catalogue';
export * from './invoice/rules/invoice-rule.context';
export * from './invoice/rules/validate-invoice.rules';

export * from './device/device-limits.rules';

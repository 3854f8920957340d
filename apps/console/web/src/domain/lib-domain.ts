/**
 * `@lib/domain` as the console's bundle sees it (apps/console/web/tsconfig.json maps the alias here): only the modules
 * the shared finding renderer (libs/contracts/src/findings) and the contract types it names reach, without the
 * library's server-side parts (the filing calendar's loader reads files and the environment).
 */
export * from '../../../../../libs/domain/src/invoice/invoice-type.table';
export * from '../../../../../libs/domain/src/time/shanghai-time.util';
export * from '../../../../../libs/domain/src/time/local-date.util';
export * from '../../../../../libs/domain/src/time/period.value';
export * from '../../../../../libs/domain/src/tax-id/uscc.validator';
export * from '../../../../../libs/domain/src/money/money.parser';

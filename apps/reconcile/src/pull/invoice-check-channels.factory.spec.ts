import { loadReconcileConfig } from '../reconcile.config';
import { createInvoiceCheckChannels } from './invoice-check-channels.factory';

const names = (env: Record<string, string>) => createInvoiceCheckChannels(loadReconcileConfig(env)).map((c) => c.name);

describe('createInvoiceCheckChannels', () => {
  it('builds the configured channels in order, leaving Baiwang out while it has no base URL', () => {
    expect(names({})).toEqual(['authority-verify']);
    const baiwang = { BAIWANG_BASE_URL: 'http://127.0.0.1:7102', BAIWANG_APP_KEY: 'k', BAIWANG_APP_SECRET: 's', BAIWANG_USERNAME: 'u', BAIWANG_PASSWORD: 'p' };
    expect(names(baiwang)).toEqual(['baiwang-query', 'authority-verify', 'baiwang-validate']);
    expect(names({ ...baiwang, RECONCILE_PER_INVOICE_CHANNELS: 'baiwang-validate, authority-verify' })).toEqual(['baiwang-validate', 'authority-verify']);
    expect(names({ RECONCILE_PER_INVOICE_CHANNELS: 'none' })).toEqual([]);
  });

  it('refuses an unknown channel name', () => {
    expect(() => names({ RECONCILE_PER_INVOICE_CHANNELS: 'authority-verify,nuonuo-query' })).toThrow(/unknown channel nuonuo-query/);
  });
});

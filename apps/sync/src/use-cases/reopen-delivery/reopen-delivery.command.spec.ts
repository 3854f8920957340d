import { buildEnvelope } from '@lib/contracts';
import { toReopenCommand } from './reopen-delivery.command';

/** A plain mapping of an envelope the transport already checked: no parse, nothing refused. */
describe('toReopenCommand', () => {
  it('maps a re-upload to a re-open of that invoice and target, with its attempt', () => {
    const envelope = buildEnvelope(
      'sync.reupload',
      {
        invoiceKey: '25442000000123456789',
        target: 'baiwang',
        reason: 'MISSING_IN_AUTHORITY',
        requestedBy: 'reconcile',
        attempt: 3,
      },
      { source: 'reconcile', occurredAt: '2026-10-10T02:00:00Z' },
    );
    expect(toReopenCommand(envelope)).toEqual({
      invoiceKey: '25442000000123456789',
      target: 'baiwang',
      reason: 'MISSING_IN_AUTHORITY',
      requestedBy: 'reconcile',
      attempt: 3,
    });
  });
});

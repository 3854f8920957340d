import { ClearCardStatus } from '@lib/providers';
import { ExternalCallError } from '@lib/resilience';
import { AuthorityClearCardCheck } from './authority-clear-card.check';
import { clearCardAgreement } from './clear-card-agreement.rules';

describe('clear-card: the device against the authority', () => {
  it.each([
    [true, 'CLEARED', 'agree'],
    [false, 'NOT_CLEARED', 'agree'],
    [false, 'FAILED', 'agree'],
    [true, 'NOT_CLEARED', 'DEVICE_ONLY'],
    [true, 'FAILED', 'DEVICE_ONLY'],
    [false, 'CLEARED', 'AUTHORITY_ONLY'],
  ] as const)('device succeeded=%s, authority %s → %s', (succeeded, authority, expected) => {
    expect(clearCardAgreement({ succeeded, lastStatus: succeeded ? 'succeeded' : 'failed' }, authority)).toBe(expected);
  });

  const status = (s: ClearCardStatus['status']): ClearCardStatus => ({
    taxNo: 'TAX', deviceNo: '661234567890', period: '2026-10', status: s, clearedAt: null, errorCode: s === 'FAILED' ? 'E_UNUPLOADED' : null, errorMessage: null,
  });
  const known = { authorityDeviceNo: async () => '661234567890' };
  const unknown = { authorityDeviceNo: async () => null };

  it('asks nothing for a device whose number is not known', async () => {
    const asked: string[] = [];
    const check = new AuthorityClearCardCheck(unknown, { clearCardStatus: async (_t, no) => (asked.push(no), status('CLEARED')) });
    expect(await check.view('TAX', '2026-10', 'dev-1', { succeeded: true, lastStatus: 'succeeded' })).toMatchObject({ deviceNo: null, unknown: 'NO_DEVICE_NUMBER' });
    expect(asked).toEqual([]);
  });

  it('puts the authority view next to the device view, and says when the authority could not be asked', async () => {
    const check = new AuthorityClearCardCheck(known, { clearCardStatus: async () => status('FAILED') });
    expect(await check.view('TAX', '2026-10', 'dev-1', { succeeded: true, lastStatus: 'succeeded' })).toEqual({
      deviceId: 'dev-1', deviceNo: '661234567890', authority: status('FAILED'), agreement: 'DEVICE_ONLY',
    });
    const down = new AuthorityClearCardCheck(known, {
      clearCardStatus: async () => {
        throw new ExternalCallError('authority-records', 'not_sent', 'BREAKER_OPEN', 'breaker open');
      },
    });
    expect(await down.view('TAX', '2026-10', 'dev-1', { succeeded: false, lastStatus: null })).toMatchObject({ unknown: 'AUTHORITY_UNAVAILABLE', detail: 'BREAKER_OPEN (breaker open)' });
  });
});

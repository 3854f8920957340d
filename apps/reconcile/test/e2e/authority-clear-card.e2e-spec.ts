import { DEV_CREDENTIALS, startSandbox, type RunningSandbox } from '@lib/simulators';
import { SystemClock } from '@lib/common';
import { AuthorityRecordsAdapter } from '@lib/providers';
import { AuthorityClearCardCheck } from '../../src/device-status/authority-clear-card.check';

jest.setTimeout(30_000);

const TAX_NO = '91440300MA5XXXXX1A';

/** The clear-card check through the real authority reader, with device numbers given by hand (runs: clear-card-cross-check.e2e-spec.ts). */
describe('authority clear-card status against the device (sandbox)', () => {
  let sandbox: RunningSandbox;
  let reader: AuthorityRecordsAdapter;
  let check: AuthorityClearCardCheck;

  beforeAll(async () => {
    sandbox = await startSandbox({ logLevel: 'silent', seed: 'reconcile-clear-card' });
    reader = new AuthorityRecordsAdapter(
      { baseURL: sandbox.urls.authority, appId: DEV_CREDENTIALS.authority.appId, appSecret: DEV_CREDENTIALS.authority.appSecret, timeoutMs: 2_000 },
      new SystemClock(),
    );
    const numbers: Record<string, string> = { 'dev-1': '661234567890', 'dev-2': '661234567891', 'dev-3': '661234567892' };
    check = new AuthorityClearCardCheck({ authorityDeviceNo: async (_taxNo, deviceId) => numbers[deviceId] ?? null }, reader);
    sandbox.control.setClearCard({ taxNo: TAX_NO, deviceNo: '661234567890', period: '2026-10', status: 'FAILED', errorCode: 'E_UNUPLOADED' });
    sandbox.control.setClearCard({ taxNo: TAX_NO, deviceNo: '661234567891', period: '2026-10', status: 'CLEARED', clearedAt: '2026-11-03T02:00:00Z' });
  });
  afterAll(async () => {
    reader.shutdown();
    await sandbox?.close();
  });

  it('says where the device and the authority disagree, either way', async () => {
    expect(await check.view(TAX_NO, '2026-10', 'dev-1', { succeeded: true, lastStatus: 'succeeded' })).toMatchObject({
      deviceNo: '661234567890',
      authority: { status: 'FAILED', errorCode: 'E_UNUPLOADED' },
      agreement: 'DEVICE_ONLY',
    });
    expect(await check.view(TAX_NO, '2026-10', 'dev-2', { succeeded: false, lastStatus: 'failed' })).toMatchObject({
      authority: { status: 'CLEARED' },
      agreement: 'AUTHORITY_ONLY',
    });
    expect(await check.view(TAX_NO, '2026-10', 'dev-3', { succeeded: false, lastStatus: null })).toMatchObject({
      authority: { status: 'NOT_CLEARED' },
      agreement: 'agree',
    });
    expect(await check.view(TAX_NO, '2026-10', 'dev-unknown', { succeeded: true, lastStatus: 'succeeded' })).toMatchObject({ unknown: 'NO_DEVICE_NUMBER' });
  });
});

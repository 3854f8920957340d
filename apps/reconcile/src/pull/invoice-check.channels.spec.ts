import { PlatformUpload, PlatformUploadsReader, VerificationAnswer, InvoiceVerifier } from '@lib/providers';
import { ExternalCallError } from '@lib/resilience';
import { InvoiceToCheck } from './invoice-check.port';
import { UploadQueryCheckChannel } from './upload-query-check.channel';
import { VerificationCheckChannel } from './verification-check.channel';

const digital: InvoiceToCheck = {
  invoiceKey: '25442000000000000001',
  type: 'DIGITAL_SPECIAL',
  code: null,
  number: '25442000000000000001',
  issuedAt: '2026-10-10T02:00:00.000Z',
  amount: '100.00',
  taxAmount: '13.00',
  totalAmount: '113.00',
  acceptedBy: ['authority', 'baiwang'],
};

const verifier = (answer: VerificationAnswer | Error) => {
  const queries: unknown[] = [];
  const v: InvoiceVerifier = {
    channel: 'x',
    verify: async (_taxNo, query) => {
      queries.push(query);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { v, queries };
};

describe('VerificationCheckChannel (查验)', () => {
  it('verifies a 数电 invoice by its total and stages the authority record under our key', async () => {
    const authority = { ...digital, invoiceKey: 'ignored', type: 'DIGITAL_SPECIAL' as const, sellerTaxNo: 'S', sellerName: 's', buyerTaxNo: null, buyerName: 'b', status: 'VOIDED' as const };
    const { v, queries } = verifier({ channel: 'baiwang', code: '00', message: 'ok', invoice: authority });
    const check = await new VerificationCheckChannel('baiwang-validate', v).check('TAX', digital);
    expect(queries).toEqual([{ fplx: '81', fpdm: null, fphm: digital.number, kprq: '20261010', kpje: '113.00', jym: null }]);
    expect(check).toEqual({ outcome: 'found', record: expect.objectContaining({ invoiceKey: digital.invoiceKey, status: 'VOIDED', amount: '100.00' }) });
  });

  it('stages the buyer and the line count a 查验 answer carries (CONTENT_MISMATCH compares them)', async () => {
    const authority = { ...digital, invoiceKey: 'ignored', type: 'DIGITAL_GENERAL' as const, sellerTaxNo: 'S', sellerName: 's', buyerTaxNo: '91310115MA1H0AAA2B', buyerName: '甲公司', lineCount: 3, status: 'NORMAL' as const };
    const { v } = verifier({ channel: 'authority', code: '00', message: 'ok', invoice: authority });
    const check = await new VerificationCheckChannel('authority-verify', v).check('TAX', digital);
    expect(check).toEqual({ outcome: 'found', record: expect.objectContaining({ buyerTaxNo: '91310115MA1H0AAA2B', buyerName: '甲公司', lineCount: 3 }) });
  });

  it.each([
    ['02', 'absent'],
    ['03', 'differs'],
    ['05', 'quota'],
    ['04', 'skipped'],
  ] as const)('answers %s as %s', async (code, outcome) => {
    const { v } = verifier({ channel: 'authority', code, message: 'msg' });
    expect(await new VerificationCheckChannel('authority-verify', v).check('TAX', digital)).toEqual({ outcome, detail: `查验 ${code} msg` });
  });

  it('cannot verify a legacy general invoice without its check code, and asks nothing', async () => {
    const { v, queries } = verifier({ channel: 'authority', code: '00', message: 'ok' });
    const general = { ...digital, type: 'E_VAT_GENERAL', code: '044031900111', number: '12345678' };
    expect(await new VerificationCheckChannel('authority-verify', v).check('TAX', general)).toMatchObject({ outcome: 'skipped' });
    expect(queries).toEqual([]);
  });

  it('treats the authority saying it is unavailable (9002) as unavailable, other failures as retriable', async () => {
    const outage = new ExternalCallError('authority-verify', 'not_sent', 'AUTHORITY_SERVICE_UNAVAILABLE', '9002', 503, 1000);
    await expect(new VerificationCheckChannel('authority-verify', verifier(outage).v).check('TAX', digital)).rejects.toMatchObject({ kind: 'unavailable' });
    const busy = new ExternalCallError('baiwang-query', 'not_sent', 'BAIWANG_RATE_LIMITED', '100012', 429, 1000);
    await expect(new VerificationCheckChannel('baiwang-validate', verifier(busy).v).check('TAX', digital)).rejects.toMatchObject({ kind: 'transient', retryAfterSeconds: 1 });
  });
});

describe('UploadQueryCheckChannel (Baiwang upload query)', () => {
  const reader = (found: PlatformUpload | null) => {
    const asked: unknown[] = [];
    const r: PlatformUploadsReader = {
      platform: 'baiwang',
      findUpload: async (_taxNo, identity) => {
        asked.push(identity);
        return found;
      },
    };
    return { r, asked };
  };
  const upload = (authorityStatus: PlatformUpload['authorityStatus']): PlatformUpload => ({
    platform: 'baiwang',
    serialNo: 'S-1',
    invoiceKey: digital.invoiceKey,
    kind: 'issued',
    uploadedAt: '2026-10-10T02:01:00Z',
    authorityStatus,
    invoiceStatus: authorityStatus === 'VISIBLE' ? 'NORMAL' : null,
  });

  it('asks only about invoices the platform accepted', async () => {
    const { r, asked } = reader(upload('VISIBLE'));
    expect(await new UploadQueryCheckChannel('baiwang-query', r).check('TAX', { ...digital, acceptedBy: ['authority'] })).toMatchObject({ outcome: 'skipped' });
    expect(asked).toEqual([]);
  });

  it('maps the authority status the platform reports', async () => {
    const channel = (s: PlatformUpload['authorityStatus']) => new UploadQueryCheckChannel('baiwang-query', reader(upload(s)).r);
    expect(await channel('VISIBLE').check('TAX', digital)).toEqual({ outcome: 'visible', status: 'NORMAL', detail: 'baiwang upload S-1: authority VISIBLE' });
    expect(await channel('PENDING').check('TAX', digital)).toMatchObject({ outcome: 'pending' });
    expect(await channel('NOT_FOUND').check('TAX', digital)).toMatchObject({ outcome: 'absent' });
    expect(await new UploadQueryCheckChannel('baiwang-query', reader(null).r).check('TAX', digital)).toMatchObject({ outcome: 'skipped' });
  });
});

import { VerificationQuery } from '@lib/domain';
import { ExternalCallError } from '@lib/resilience';
import { InvoiceVerifier, VerificationAnswer } from '../ports/invoice-verifier.port';
import { FailoverInvoiceVerifier, VerificationQuotaGate } from './failover-verifier';
import { verificationResultOf } from './verification-outcome';

const QUERY: VerificationQuery = { fplx: '31', fpdm: null, fphm: '25442000000000000001', kprq: '20261010', kpje: '113.00', jym: null };
const record = (status: 'NORMAL' | 'VOIDED' | 'RED_REVERSED') =>
  ({ invoiceKey: QUERY.fphm, type: 'DIGITAL_SPECIAL', code: null, number: QUERY.fphm, issuedAt: '2026-10-10T10:00:00+08:00', sellerTaxNo: 'S', sellerName: 'S', buyerTaxNo: 'B', buyerName: 'B', amount: '100.00', taxAmount: '13.00', totalAmount: '113.00', status }) as const;

class ScriptedVerifier implements InvoiceVerifier {
  calls = 0;
  constructor(
    readonly channel: string,
    private readonly next: () => VerificationAnswer,
  ) {}
  async verify(): Promise<VerificationAnswer> {
    this.calls += 1;
    return Promise.resolve(this.next());
  }
}

/** A quota count per channel, as reconcile keeps it in PostgreSQL. */
class CountingGate implements VerificationQuotaGate {
  readonly used = new Map<string, number>();
  constructor(private readonly limit: number) {}
  async take(channel: string): Promise<boolean> {
    const used = this.used.get(channel) ?? 0;
    if (used >= this.limit) return false;
    this.used.set(channel, used + 1);
    return Promise.resolve(true);
  }
  async giveBack(channel: string): Promise<void> {
    this.used.set(channel, (this.used.get(channel) ?? 1) - 1);
    return Promise.resolve();
  }
  async exhaust(channel: string): Promise<void> {
    this.used.set(channel, this.limit);
    return Promise.resolve();
  }
}

const answer = (code: VerificationAnswer['code'], status?: 'NORMAL' | 'VOIDED' | 'RED_REVERSED'): VerificationAnswer => ({
  channel: 'x',
  code,
  message: code,
  ...(status ? { invoice: record(status) } : {}),
});

describe('verificationResultOf', () => {
  it.each([
    [answer('00', 'NORMAL'), 'VALID'],
    [answer('00', 'VOIDED'), 'VOIDED'],
    [answer('00', 'RED_REVERSED'), 'RED_REVERSED'],
    [answer('01'), 'BAD_INPUT'],
    [answer('02'), 'NOT_FOUND'],
    [answer('03'), 'MISMATCH'],
    [answer('04'), 'NOT_BUYER'],
    [answer('05'), 'QUOTA_EXHAUSTED'],
  ])('maps 查验 %j to %s', (given, expected) => {
    expect(verificationResultOf(given)).toBe(expected);
  });
});

describe('FailoverInvoiceVerifier', () => {
  it('asks the first channel only when it answers', async () => {
    const authority = new ScriptedVerifier('authority', () => answer('00', 'VOIDED'));
    const baiwang = new ScriptedVerifier('baiwang', () => answer('00', 'NORMAL'));
    const out = await new FailoverInvoiceVerifier([authority, baiwang]).verify('B', QUERY, new CountingGate(5));
    expect(out.result).toBe('VOIDED');
    expect(out.attempts.map((a) => [a.channel, a.outcome])).toEqual([['authority', 'answered']]);
    expect(baiwang.calls).toBe(0);
  });

  it('fails over to Baiwang when the authority is down, and gives the unsent check back', async () => {
    const authority = new ScriptedVerifier('authority', () => {
      throw new ExternalCallError('authority-verify', 'not_sent', 'AUTHORITY_SERVICE_UNAVAILABLE', 'down', 503, 1000);
    });
    const baiwang = new ScriptedVerifier('baiwang', () => answer('02'));
    const gate = new CountingGate(5);
    const out = await new FailoverInvoiceVerifier([authority, baiwang]).verify('B', QUERY, gate);
    expect(out.result).toBe('NOT_FOUND');
    expect(out.attempts.map((a) => [a.channel, a.outcome, a.code])).toEqual([
      ['authority', 'unavailable', 'AUTHORITY_SERVICE_UNAVAILABLE'],
      ['baiwang', 'answered', '02'],
    ]);
    expect(gate.used.get('authority')).toBe(0);
    expect(gate.used.get('baiwang')).toBe(1);
  });

  it('keeps the check counted after an unknown outcome (the channel may have counted it)', async () => {
    const authority = new ScriptedVerifier('authority', () => {
      throw new ExternalCallError('authority-verify', 'unknown', 'TIMEOUT', 'timed out');
    });
    const gate = new CountingGate(5);
    const out = await new FailoverInvoiceVerifier([authority]).verify('B', QUERY, gate);
    expect(out).toMatchObject({ answer: null, result: null, attempts: [{ outcome: 'failed', code: 'TIMEOUT' }] });
    expect(gate.used.get('authority')).toBe(1);
  });

  it('never calls a channel whose quota our count says is used up', async () => {
    const authority = new ScriptedVerifier('authority', () => answer('00', 'NORMAL'));
    const gate = new CountingGate(0);
    const out = await new FailoverInvoiceVerifier([authority]).verify('B', QUERY, gate);
    expect(authority.calls).toBe(0);
    expect(out.attempts).toEqual([expect.objectContaining({ channel: 'authority', outcome: 'quota', code: 'QUOTA_EXHAUSTED' })]);
  });

  it("marks a channel's quota used up when it answers 05, and asks the next", async () => {
    const authority = new ScriptedVerifier('authority', () => answer('05'));
    const baiwang = new ScriptedVerifier('baiwang', () => answer('00', 'NORMAL'));
    const gate = new CountingGate(5);
    const out = await new FailoverInvoiceVerifier([authority, baiwang]).verify('B', QUERY, gate);
    expect(out.result).toBe('VALID');
    expect(gate.used.get('authority')).toBe(5);
  });

  it('stops at a refused query (01) without asking another channel', async () => {
    const authority = new ScriptedVerifier('authority', () => answer('01'));
    const baiwang = new ScriptedVerifier('baiwang', () => answer('00', 'NORMAL'));
    const out = await new FailoverInvoiceVerifier([authority, baiwang]).verify('B', QUERY, new CountingGate(5));
    expect(out).toMatchObject({ answer: null, result: 'BAD_INPUT' });
    expect(baiwang.calls).toBe(0);
  });
});

import { AppError } from '@lib/common';
import { InvoiceCheck, InvoiceCheckChannel, InvoiceToCheck } from './invoice-check.port';
import { InvoiceProber } from './invoice-prober';

const invoice: InvoiceToCheck = {
  invoiceKey: '25442000000000000001',
  type: 'DIGITAL_GENERAL',
  code: null,
  number: '25442000000000000001',
  issuedAt: '2026-10-10T02:00:00.000Z',
  amount: '100.00',
  taxAmount: '13.00',
  totalAmount: '113.00',
  acceptedBy: ['baiwang'],
};
const record = { invoiceKey: invoice.invoiceKey, type: 'DIGITAL_GENERAL', code: null, number: invoice.number, issuedAt: invoice.issuedAt, amount: '100.00', taxAmount: '13.00', totalAmount: '113.00', status: 'NORMAL' as const };

/** A channel answering from a script: each entry an answer or an error to throw. */
class ScriptedChannel implements InvoiceCheckChannel {
  calls = 0;
  constructor(
    readonly name: string,
    private readonly script: (InvoiceCheck | Error)[],
  ) {}

  async check(): Promise<InvoiceCheck> {
    const next = this.script[Math.min(this.calls, this.script.length - 1)];
    this.calls += 1;
    if (next instanceof Error) throw next;
    return next;
  }
}

const prober = (...channels: InvoiceCheckChannel[]) => new InvoiceProber(channels, { attempts: 3, backoffMs: 0, minIntervalMs: 0 });
const down = () => new AppError('BREAKER_OPEN', 'unavailable', 'breaker open');

describe('InvoiceProber', () => {
  it('takes the first conclusive answer, with its channel, and asks no further', async () => {
    const query = new ScriptedChannel('baiwang-query', [{ outcome: 'absent', detail: 'NOT_FOUND' }]);
    const verify = new ScriptedChannel('authority-verify', [{ outcome: 'found', record }]);
    expect(await prober(query, verify).observe('TAX', invoice)).toEqual({ outcome: 'absent', channel: 'baiwang-query', detail: 'NOT_FOUND' });
    expect(verify.calls).toBe(0);
  });

  it('keeps a "visible" answer while a later channel reads the content, and falls back to it when none can', async () => {
    const query = new ScriptedChannel('baiwang-query', [{ outcome: 'visible', status: 'VOIDED', detail: 'VISIBLE' }]);
    const verify = new ScriptedChannel('authority-verify', [{ outcome: 'found', record }, { outcome: 'quota', detail: '查验 05' }]);
    const p = prober(query, verify);
    expect(await p.observe('TAX', invoice)).toMatchObject({ outcome: 'found', channel: 'authority-verify', record });
    expect(await p.observe('TAX', invoice)).toEqual({ outcome: 'visible', channel: 'baiwang-query', status: 'VOIDED', detail: 'VISIBLE' });
  });

  it('moves on to the next channel when one has used up its quota, and says QUOTA when all have', async () => {
    const a = new ScriptedChannel('authority-verify', [{ outcome: 'quota', detail: '查验 05' }]);
    const b = new ScriptedChannel('baiwang-validate', [{ outcome: 'quota', detail: '查验 05' }]);
    expect(await prober(a, b).observe('TAX', invoice)).toEqual({
      outcome: 'unchecked',
      channel: null,
      cause: 'QUOTA',
      detail: 'authority-verify: 查验 05; baiwang-validate: 查验 05',
    });
  });

  it('retries a transient failure, and passes over an unavailable channel for the rest of the pull', async () => {
    const flaky = new ScriptedChannel('authority-verify', [new AppError('UPSTREAM_5XX', 'transient', '502'), { outcome: 'found', record }]);
    expect(await prober(flaky).observe('TAX', invoice)).toMatchObject({ outcome: 'found', channel: 'authority-verify' });
    expect(flaky.calls).toBe(2);

    const broken = new ScriptedChannel('authority-verify', [down()]);
    const backup = new ScriptedChannel('baiwang-validate', [{ outcome: 'differs', detail: '查验 03' }]);
    const p = prober(broken, backup);
    expect(await p.observe('TAX', invoice)).toMatchObject({ outcome: 'differs', channel: 'baiwang-validate' });
    expect(await p.observe('TAX', invoice)).toMatchObject({ outcome: 'differs', channel: 'baiwang-validate' });
    expect(broken.calls).toBe(1);
    expect(p.exhausted).toBe(false);
    expect(p.downReasons()).toEqual(['authority-verify: BREAKER_OPEN (breaker open)']);
  });

  it('is exhausted when every channel is down, and says why an invoice could not be checked', async () => {
    const p = prober(new ScriptedChannel('authority-verify', [down()]));
    expect(await p.observe('TAX', invoice)).toMatchObject({ outcome: 'unchecked', cause: 'UNAVAILABLE' });
    expect(p.exhausted).toBe(true);
    const skipping = prober(new ScriptedChannel('baiwang-query', [{ outcome: 'skipped', detail: 'not uploaded through baiwang' }]));
    expect(await skipping.observe('TAX', invoice)).toEqual({
      outcome: 'unchecked',
      channel: null,
      cause: 'NOT_APPLICABLE',
      detail: 'baiwang-query: not uploaded through baiwang',
    });
  });
});

import { chooseRelayPlatform } from './failover.rules';
import { Routing } from '../routing/routing.model';

const routing = (over: Partial<Routing> = {}): Routing => ({
  taxNo: 'T',
  platforms: ['baiwang', 'nuonuo'],
  allowFailover: true,
  ...over,
});
const up = () => true;

describe('failover decision', () => {
  it('never fails over while the authority is reachable, or when the taxpayer does not allow it', () => {
    const pending = [{ target: 'baiwang' as const, status: 'pending' as const }];
    expect(chooseRelayPlatform(routing(), true, up, pending)).toBeNull();
    expect(chooseRelayPlatform(routing({ allowFailover: false }), false, up, pending)).toBeNull();
  });

  it("uses the taxpayer's first reachable platform, preferring one that already has the invoice", () => {
    const both = [
      { target: 'baiwang' as const, status: 'pending' as const },
      { target: 'nuonuo' as const, status: 'accepted' as const },
    ];
    expect(chooseRelayPlatform(routing(), false, up, both)).toBe('nuonuo');
    expect(chooseRelayPlatform(routing(), false, (p) => p !== 'nuonuo', both)).toBe('baiwang');
  });

  it('skips platforms that gave up on the invoice, are down, or the taxpayer is not on', () => {
    const views = [
      { target: 'baiwang' as const, status: 'dead' as const },
      { target: 'nuonuo' as const, status: 'pending' as const },
    ];
    expect(chooseRelayPlatform(routing(), false, up, views)).toBe('nuonuo');
    expect(chooseRelayPlatform(routing(), false, () => false, views)).toBeNull();
    expect(chooseRelayPlatform(routing({ platforms: [] }), false, up, views)).toBeNull();
  });
});

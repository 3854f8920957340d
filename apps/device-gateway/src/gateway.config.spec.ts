import { randomBytes } from 'node:crypto';
import { ConfigError } from '@lib/common';
import { loadGatewayConfig } from './gateway.config';

const key = () => randomBytes(32).toString('base64');

describe('gateway configuration', () => {
  it('has working defaults (admin API and secrets off until configured)', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      DB_SCHEMA: 'gateway',
      GATEWAY_ADMIN_TOKEN: '',
      GATEWAY_MASTER_KEYS: '',
      GATEWAY_MAX_BODY: '4mb',
      GATEWAY_MAX_EVENT_BODY: '64kb',
      GATEWAY_RATE_LIMIT_PER_MINUTE: 600,
      GATEWAY_CLOCK_SKEW_MS: 300_000,
      GATEWAY_DEVICE_CACHE_TTL_MS: 30_000,
      GATEWAY_UNKNOWN_DEVICE_CACHE_TTL_MS: 5_000,
    });
  });

  it('names every bad variable without echoing key material or tokens', () => {
    const material = key();
    let error: unknown;
    try {
      loadGatewayConfig({
        GATEWAY_MASTER_KEYS: `k1:${material},k2:${material}`,
        GATEWAY_ADMIN_TOKEN: 'short',
        GATEWAY_MAX_BODY: 'huge',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(
      'GATEWAY_MASTER_KEYS: several keys are given: GATEWAY_ACTIVE_KEY_ID must name one',
    );
    expect(message).toContain('GATEWAY_ADMIN_TOKEN: must be at least 16 characters');
    expect(message).toContain('GATEWAY_MAX_BODY');
    expect(message).not.toContain(material);
    expect(message).not.toContain('short');
  });

  it.each([
    ['k1:not-base64-32-bytes', 'k1', 'key "k1" must be 32 bytes, base64-encoded'],
    [`k1:${key()},k1:${key()}`, 'k1', 'key id "k1" appears twice'],
    [`${key()}`, '', 'entry 1: expected <id>:<base64 key>'],
    [`k1:${key()}`, 'k9', 'GATEWAY_ACTIVE_KEY_ID "k9" is not among the keys'],
  ])('refuses master keys %#', (keys, active, problem) => {
    expect(() => loadGatewayConfig({ GATEWAY_MASTER_KEYS: keys, GATEWAY_ACTIVE_KEY_ID: active })).toThrow(
      problem,
    );
  });

  it('accepts one key without naming it active, or several with an active one', () => {
    expect(() => loadGatewayConfig({ GATEWAY_MASTER_KEYS: `k1:${key()}` })).not.toThrow();
    expect(() =>
      loadGatewayConfig({ GATEWAY_MASTER_KEYS: `k1:${key()}, k2:${key()}`, GATEWAY_ACTIVE_KEY_ID: 'k2' }),
    ).not.toThrow();
  });
});

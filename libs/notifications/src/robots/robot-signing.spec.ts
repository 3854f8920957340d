import { contentLimit, truncateToBytes, utf8Bytes } from './robot-limits';
import { dingtalkSign, feishuSign } from './robot-signing';

/** Vectors computed independently (Python's hmac/hashlib/base64, as the platforms' own samples do). */
describe('robot signing', () => {
  it('signs DingTalk as base64(HMAC-SHA256(secret, `${ms}\\n${secret}`)), URL-encoded in the query', () => {
    const sign = dingtalkSign('SECtest-secret', 1_700_000_000_000);
    expect(sign).toBe('LC7hxZ4wslL+P7j7gu1hoQ+wzByekL+yWgiUMekZs0g=');
    expect(new URLSearchParams({ sign }).toString()).toBe(
      'sign=LC7hxZ4wslL%2BP7j7gu1hoQ%2BwzByekL%2ByWgiUMekZs0g%3D',
    );
  });

  it('signs Feishu as base64(HMAC-SHA256 keyed `${s}\\n${secret}` over an empty message)', () => {
    expect(feishuSign('feishu-secret', 1_700_000_000)).toBe('OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=');
  });

  it('a different timestamp or secret gives another signature', () => {
    expect(dingtalkSign('SECtest-secret', 1_700_000_000_001)).not.toBe(
      dingtalkSign('SECtest-secret', 1_700_000_000_000),
    );
    expect(feishuSign('other', 1_700_000_000)).not.toBe(feishuSign('feishu-secret', 1_700_000_000));
  });
});

describe('robot limits', () => {
  it('knows each platform content limit in bytes', () => {
    expect(contentLimit('wecom', 'markdown')).toBe(4096);
    expect(contentLimit('wecom', 'text')).toBe(2048);
    expect(contentLimit('dingtalk', 'markdown')).toBeLessThan(20_000);
    expect(contentLimit('feishu', 'text')).toBeLessThan(20 * 1024);
  });

  it('truncates to bytes without splitting a character', () => {
    const text = '发票'.repeat(2000); // 3 bytes each
    const cut = truncateToBytes(text, 4096);
    expect(utf8Bytes(cut)).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
    expect(truncateToBytes('短', 10)).toBe('短');
  });
});

import { smsCapacity, smsLength, smsSegments, truncateSms } from './sms-segments';

describe('SMS segments', () => {
  it('sends up to 70 characters as one SMS and splits longer ones into 67-character parts', () => {
    expect(smsSegments('中'.repeat(70))).toBe(1);
    expect(smsSegments('中'.repeat(71))).toBe(2);
    expect(smsSegments('中'.repeat(134))).toBe(2);
    expect(smsSegments('中'.repeat(135))).toBe(3);
    expect(smsSegments('')).toBe(1);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(smsLength('😀中')).toBe(2);
  });

  it('knows the capacity of n segments and truncates to it', () => {
    expect([1, 2, 3].map(smsCapacity)).toEqual([70, 134, 201]);
    const text = '中'.repeat(200);
    expect(smsLength(truncateSms(text, 134))).toBe(134);
    expect(truncateSms(text, 134).endsWith('…')).toBe(true);
    expect(truncateSms('短信', 70)).toBe('短信');
  });
});

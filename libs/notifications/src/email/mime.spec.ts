import { composeMime } from './mime';

describe('MIME composition', () => {
  it('declares UTF-8 on every text part, encodes the Chinese subject, and carries our Message-ID', async () => {
    const raw = (
      await composeMime({
        messageId: '<n-1@notifier.local>',
        from: '"发票同步" <alerts@example.com>',
        to: 'cfo@example.com',
        subject: '【发票异常】设备即将锁死',
        text: '请在锁死日期前完成清卡。',
        html: '<p>请在锁死日期前完成清卡。</p>',
      })
    ).toString('latin1');
    expect(raw).toContain('Message-ID: <n-1@notifier.local>');
    expect(raw).toMatch(/Subject: =\?UTF-8\?[BQ]\?/);
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/);
    expect(raw).not.toContain('锁死');
  });
});

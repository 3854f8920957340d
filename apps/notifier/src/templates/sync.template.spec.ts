import { SyncProblem } from '../sync/sync-problem.model';
import { deadLettersSmsSummary, renderDeadLettersEmail } from './dead-letters.template';
import { renderSyncEmail, syncSmsSummary } from './sync.template';

const problem = (outcome: 'dead' | 'rejected'): SyncProblem => ({
  problemId: 'sync-1',
  result: {
    invoiceKey: '24442000000012345678',
    taxNo: '91440300MA5F8Q2K7X',
    target: 'baiwang',
    outcome,
    requestId: 'BW-REQ-9',
    errorCode: 'E_<TAX>',
    errorMessage: '税号 "不符" & <b>',
    attempts: 8,
    targetRecordId: null,
    relayedVia: null,
    at: '2026-03-10T02:00:00Z',
  },
  resolvedAt: null,
  resolvedBy: null,
});

describe('sync and dead-letter templates', () => {
  it('renders a dead delivery in Chinese: where, the error, the request id, what to do; all escaped', () => {
    const mail = renderSyncEmail(problem('dead'), 'zh-CN');
    expect(mail.subject).toBe('【发票同步·紧急】发票未能送达百望云 24442000000012345678');
    expect(mail.text).toContain('说明: 同步服务向百望云上传该发票8次均未成功，已停止自动重试。');
    expect(mail.text).toContain('错误: E_<TAX>: 税号 "不符" & <b>');
    expect(mail.text).toContain('请求编号: BW-REQ-9');
    expect(mail.text).toContain('时间: 2026-03-10 10:00');
    expect(mail.text).toContain('需要您处理: 请根据错误信息排查');
    expect(mail.html).toContain('E_&lt;TAX&gt;: 税号 &quot;不符&quot; &amp; &lt;b&gt;');
    expect(mail.html).not.toContain('<b>');
  });

  it('renders a refusal in English, and SMS summaries in the reader’s language', () => {
    const mail = renderSyncEmail(problem('rejected'), 'en');
    expect(mail.subject).toBe('【Invoice Sync·Warning】Invoice refused by Baiwang 24442000000012345678');
    expect(mail.text).toContain('What you need to do: Correct the invoice');
    expect(syncSmsSummary(problem('dead'), 'zh-CN')).toMatch(
      /^紧急，发票未能送达百望云 24442000000012345678，/,
    );
    expect(syncSmsSummary(problem('rejected'), 'en')).toMatch(/^Warning, Invoice refused by Baiwang /);
  });

  it('renders one window of dead letters: the total, counts by topic and code, the first ones', () => {
    const summary = {
      total: 10_000,
      groups: [
        { dlqTopic: 'invoice.events.v1.dlq', errorCode: 'SCHEMA_VIOLATION', count: 9_999 },
        { dlqTopic: 'sync.results.v1.dlq', errorCode: 'BAD_JSON', count: 1 },
      ],
      samples: [
        {
          id: 'x',
          dlqTopic: 'invoice.events.v1.dlq',
          sourceTopic: 'invoice.events.v1',
          sourcePartition: 2,
          sourceOffset: '17',
          consumerGroup: 'sync',
          errorCode: 'SCHEMA_VIOLATION',
          errorMessage: 'bad <data>',
          eventId: 'E-1',
          eventType: 'invoice.issued',
          failedAt: null,
        },
      ],
    };
    const window = { start: new Date('2026-03-10T02:00:00Z'), end: new Date('2026-03-10T02:10:00Z') };
    const mail = renderDeadLettersEmail(summary, window, 'zh-CN');
    expect(mail.subject).toBe('【发票同步·运维】10000条消息进入死信队列 2026-03-10 10:00');
    expect(mail.text).toContain('2026-03-10 10:00 至 2026-03-10 10:10');
    expect(mail.text).toContain('1. invoice.events.v1.dlq SCHEMA_VIOLATION: 9999条');
    expect(mail.text).toContain(
      '1. invoice.events.v1.dlq · SCHEMA_VIOLATION · 消息ID E-1 (invoice.issued) · invoice.events.v1[2]@17 · bad <data>',
    );
    expect(mail.html).toContain('bad &lt;data&gt;');
    expect(renderDeadLettersEmail(summary, window, 'en').subject).toBe(
      '[Invoice Sync · Ops] 10000 message(s) dead-lettered 2026-03-10 10:00',
    );
    expect(deadLettersSmsSummary(summary, 'zh-CN')).toBe(
      '10000条消息进入死信队列（invoice.events.v1.dlq, sync.results.v1.dlq），请运维人员检查',
    );
  });
});

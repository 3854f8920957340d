import { Logger } from '@nestjs/common';
import { ManualClock } from '@lib/common';
import { ChannelDeliveryError } from '@lib/notifications';
import { ChannelProviders } from '../../notifications/channel-providers';
import { MessageComposer } from '../../notifications/message.composer';
import { ClaimedNotification } from '../../notifications/notification.model';
import { NotificationRepository } from '../../notifications/notification.repository';
import { NotifierMetrics } from '../../notifications/notifier.metrics';
import { loadNotifierConfig } from '../../notifier.config';
import { SendGates } from './send-gates';
import { SendNotificationUseCase } from './send-notification.use-case';

const NOW = '2026-03-10T02:00:00.000Z';
const config = loadNotifierConfig({
  NOTIFIER_MAX_ATTEMPTS: '3',
  NOTIFIER_BACKOFF_INITIAL_MS: '1000',
  NOTIFIER_BREAKER_RETRY_MS: '5000',
});

function claimed(over: Partial<ClaimedNotification> = {}): ClaimedNotification {
  return {
    id: '7',
    dedupe_key: 'k',
    message_ref: 'nabc',
    kind: 'alert',
    channel: 'email',
    recipient_id: 'r1',
    destination: 'cfo@example.com',
    language: 'zh-CN',
    finding_id: 'F-1',
    severity: 'warning',
    level: 1,
    status: 'sending',
    due_at: new Date(NOW),
    attempts: 0,
    claims: 1,
    digest_id: null,
    segments: null,
    provider: null,
    provider_message_id: null,
    provider_response: null,
    last_error_code: null,
    last_error: null,
    created_at: new Date(NOW),
    updated_at: new Date(NOW),
    sent_at: null,
    wasSending: false,
    ...over,
  };
}

/** The sender's decisions, with every side effect faked (an unexpected call fails the test). */
function setup(send: () => Promise<unknown>) {
  const repo = { markSent: jest.fn(), reschedule: jest.fn(), finish: jest.fn() };
  const email = { id: 'fake', send: jest.fn(send), isAvailable: () => true, close: async () => undefined };
  const sms = { id: 'fake', send: jest.fn(send), isAvailable: () => true, close: async () => undefined };
  const composer = {
    compose: jest.fn(async (n: ClaimedNotification) =>
      n.channel === 'email'
        ? {
            channel: 'email',
            email: {
              messageId: '<nabc@x>',
              from: 'a@x',
              to: n.destination,
              subject: 's',
              text: 't',
              html: 'h',
            },
          }
        : {
            channel: 'sms',
            segments: 1,
            sms: { phoneNumber: n.destination, templateCode: 'T', templateParams: {}, outId: n.message_ref },
          },
    ),
  };
  const gates = { releaseAt: jest.fn(async () => undefined) };
  const metrics = new NotifierMetrics();
  jest.spyOn(metrics, 'sent');
  const useCase = new SendNotificationUseCase(
    repo as unknown as NotificationRepository,
    composer as unknown as MessageComposer,
    { email, sms } as unknown as ChannelProviders,
    gates as unknown as SendGates,
    config,
    new ManualClock(NOW),
    metrics,
  );
  return { useCase, repo, email, sms, gates, metrics };
}

const fail =
  (channel: 'email' | 'sms', outcome: 'not_sent' | 'unknown' | 'rejected', code: string) => async () => {
    throw new ChannelDeliveryError(channel, outcome, code, code);
  };

describe('SendNotificationUseCase', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('records a sent message with its provider id', async () => {
    const { useCase, repo, metrics } = setup(async () => ({
      provider: 'smtp',
      providerMessageId: '<nabc@x>',
    }));
    await useCase.execute(claimed());
    expect(repo.markSent).toHaveBeenCalledWith(
      '7',
      { provider: 'smtp', providerMessageId: '<nabc@x>' },
      null,
      new Date(NOW),
    );
    expect(metrics.sent).toHaveBeenCalledWith('email', 'alert', new Date(NOW), new Date(NOW));
  });

  it('retries a message that was not sent, with backoff, counting the attempt', async () => {
    const { useCase, repo } = setup(fail('email', 'not_sent', 'SMTP_421'));
    await useCase.execute(claimed());
    const [, dueAt, , counted] = repo.reschedule.mock.calls[0] as [string, Date, Date, boolean];
    expect(counted).toBe(true);
    expect(dueAt.getTime() - Date.parse(NOW)).toBeGreaterThan(0);
  });

  it('waits for an open breaker without counting an attempt', async () => {
    const { useCase, repo } = setup(fail('email', 'not_sent', 'BREAKER_OPEN'));
    await useCase.execute(claimed());
    expect(repo.reschedule).toHaveBeenCalledWith(
      '7',
      new Date(Date.parse(NOW) + 5000),
      new Date(NOW),
      false,
      expect.anything(),
    );
  });

  it('holds an email whose outcome is unknown instead of resending it', async () => {
    const { useCase, repo } = setup(fail('email', 'unknown', 'SMTP_TIMEOUT'));
    await useCase.execute(claimed());
    expect(repo.finish).toHaveBeenCalledWith(
      '7',
      'unknown',
      new Date(NOW),
      expect.objectContaining({ code: 'SMTP_TIMEOUT' }),
      true,
    );
    expect(repo.reschedule).not.toHaveBeenCalled();
  });

  it('holds an email whose previous sender died mid-send, without calling the provider', async () => {
    const { useCase, repo, email } = setup(async () => ({ provider: 'smtp', providerMessageId: 'x' }));
    await useCase.execute(claimed({ wasSending: true }));
    expect(email.send).not.toHaveBeenCalled();
    expect(repo.finish).toHaveBeenCalledWith(
      '7',
      'unknown',
      new Date(NOW),
      expect.objectContaining({ code: 'SEND_INTERRUPTED' }),
      false,
    );
  });

  it('retries an SMS whose outcome is unknown (the OutId makes the resend idempotent)', async () => {
    const { useCase, repo } = setup(fail('sms', 'unknown', 'SMS_TIMEOUT'));
    await useCase.execute(claimed({ channel: 'sms', destination: '13800138000' }));
    expect(repo.reschedule).toHaveBeenCalledWith(
      '7',
      expect.any(Date),
      new Date(NOW),
      true,
      expect.anything(),
    );
  });

  it('fails for good on a rejection or when attempts are exhausted', async () => {
    const rejected = setup(fail('sms', 'rejected', 'SMS_ISV_MOBILE_NUMBER_ILLEGAL'));
    await rejected.useCase.execute(claimed({ channel: 'sms' }));
    expect(rejected.repo.finish).toHaveBeenCalledWith('7', 'failed', new Date(NOW), expect.anything(), true);
    const exhausted = setup(fail('email', 'not_sent', 'SMTP_421'));
    await exhausted.useCase.execute(claimed({ attempts: 2 }));
    expect(exhausted.repo.finish).toHaveBeenCalledWith('7', 'failed', new Date(NOW), expect.anything(), true);
  });

  it('does not send while a gate (quiet hours, rate limit) holds the message', async () => {
    const { useCase, repo, gates, sms } = setup(async () => ({ provider: 'aliyun', providerMessageId: 'b' }));
    const morning = new Date('2026-03-11T00:00:00Z');
    gates.releaseAt.mockResolvedValueOnce({ at: morning, reason: 'QUIET_HOURS' } as never);
    await useCase.execute(claimed({ channel: 'sms' }));
    expect(sms.send).not.toHaveBeenCalled();
    expect(repo.reschedule).toHaveBeenCalledWith(
      '7',
      morning,
      new Date(NOW),
      false,
      expect.objectContaining({ code: 'QUIET_HOURS' }),
    );
  });
});

import { classifySmtpError } from './smtp-failure.classifier';

const error = (fields: Record<string, unknown>) => Object.assign(new Error('smtp failure'), fields);

describe('SMTP failure classification', () => {
  it('a 4xx reply means the server did not take the message: resend', () => {
    expect(
      classifySmtpError(error({ code: 'EENVELOPE', responseCode: 421, command: 'MAIL FROM' }), false),
    ).toMatchObject({
      outcome: 'not_sent',
      code: 'SMTP_421',
    });
    expect(
      classifySmtpError(error({ code: 'EMESSAGE', responseCode: 451, command: 'DATA' }), true).outcome,
    ).toBe('not_sent');
  });

  it('a 5xx reply or a bad envelope is a permanent refusal', () => {
    expect(classifySmtpError(error({ code: 'EENVELOPE', responseCode: 550 }), false)).toMatchObject({
      outcome: 'rejected',
      code: 'SMTP_550',
    });
    expect(classifySmtpError(error({ code: 'EAUTH' }), false).outcome).toBe('rejected');
  });

  it('no reply: not sent before the content went out, unknown after (never resent blindly)', () => {
    expect(classifySmtpError(error({ code: 'ETIMEDOUT' }), false)).toMatchObject({
      outcome: 'not_sent',
      code: 'SMTP_TIMEOUT',
    });
    expect(classifySmtpError(error({ code: 'ETIMEDOUT' }), true)).toMatchObject({
      outcome: 'unknown',
      code: 'SMTP_TIMEOUT',
    });
    expect(classifySmtpError(error({ code: 'ECONNECTION' }), true).outcome).toBe('unknown');
    expect(classifySmtpError(error({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), false).outcome).toBe(
      'not_sent',
    );
  });
});

import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { tooLargeErrorType } from './message-too-large';

const protocolError = (type: string) =>
  new KafkaJSProtocolError({ type, code: 10, retriable: false, message: 'too large' } as unknown as Error);

describe('tooLargeErrorType', () => {
  it('recognises the broker’s answers, thrown as they are or wrapped by kafkajs', () => {
    expect(tooLargeErrorType(protocolError('MESSAGE_TOO_LARGE'))).toBe('MESSAGE_TOO_LARGE');
    expect(tooLargeErrorType(protocolError('RECORD_LIST_TOO_LARGE'))).toBe('RECORD_LIST_TOO_LARGE');
    const inner = protocolError('MESSAGE_TOO_LARGE');
    // As kafkajs's retrier bails out (its typings leave out the `cause` it passes).
    const wrapped = Object.assign(new KafkaJSNonRetriableError(inner), { cause: inner });
    expect(tooLargeErrorType(wrapped)).toBe('MESSAGE_TOO_LARGE');
  });

  it('says nothing of any other failure', () => {
    expect(tooLargeErrorType(protocolError('NOT_LEADER_FOR_PARTITION'))).toBeUndefined();
    expect(tooLargeErrorType(new Error('MESSAGE_TOO_LARGE in a sentence'))).toBeUndefined();
    expect(tooLargeErrorType(undefined)).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(tooLargeErrorType(loop)).toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { loggerOptions } from './logger';

/** A failed statement carries its bound values: a token upsert that fails would log the tokens. */
describe('log redaction of a failed query', () => {
  const ACCESS = 'access-9c2e-credential';
  const REFRESH = 'refresh-9c2e-credential';
  const SQL = 'INSERT INTO provider_tokens (key, access_token, refresh_token) VALUES ($1, $2, $3)';

  function failedUpsert(): QueryFailedError {
    const driverError = Object.assign(new Error('relation "provider_tokens" does not exist'), {
      code: '42P01',
    });
    return new QueryFailedError(SQL, ['baiwang:91310000', ACCESS, REFRESH], driverError);
  }

  function logged(write: (log: pino.Logger) => void): string {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString();
        done();
      },
    });
    write(pino(loggerOptions('test', 'info'), sink));
    return out;
  }

  it('drops the parameters and keeps the statement, the code and the message', () => {
    const error = failedUpsert();
    const out = logged((log) => {
      log.error({ err: error }, 'token upsert failed');
      log.error({ err: new Error('renewal failed', { cause: error }) }, 'wrapped');
      log.error(error, 'as the only argument');
      log.warn({ attempt: { error } }, 'deep in an object');
    });
    expect(out.split('\n').filter(Boolean)).toHaveLength(4);
    expect(out).not.toContain(ACCESS);
    expect(out).not.toContain(REFRESH);
    expect(out).not.toContain('baiwang:91310000');
    expect(out).toContain('provider_tokens (key, access_token, refresh_token)');
    expect(out).toContain('"code":"42P01"');
    expect(out).toContain('relation \\"provider_tokens\\" does not exist');
  });
});

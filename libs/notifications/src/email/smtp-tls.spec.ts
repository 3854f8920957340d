import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { SmtpEmailProvider, SmtpSettings } from './smtp-email.provider';

/** A self-signed certificate for 127.0.0.1 (node:crypto cannot make X.509, openssl can). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-tls-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-keyout',
        key,
        '-out',
        cert,
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a lenient server saw: whether the session was encrypted at each AUTH and each MAIL FROM. */
interface Seen {
  auth: boolean[];
  mail: boolean[];
}

/** The SMTP adapter against a real local server, with and without STARTTLS on offer. */
describe('SMTP transport security', () => {
  const certificate = selfSignedCertificate();
  const servers: SMTPServer[] = [];
  const providers: SmtpEmailProvider[] = [];

  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
    await Promise.all(servers.map((s) => new Promise<void>((done) => s.close(() => done()))));
  });

  /** A server that would even take credentials in the clear: only the client can keep them safe. */
  async function server(offersStarttls: boolean): Promise<{ port: number; seen: Seen }> {
    const seen: Seen = { auth: [], mail: [] };
    const smtp = new SMTPServer({
      ...certificate,
      secure: false,
      logger: false,
      disabledCommands: offersStarttls ? [] : ['STARTTLS'],
      allowInsecureAuth: true,
      authOptional: true,
      onAuth: (auth, session, done) => {
        seen.auth.push(session.secure);
        done(null, { user: auth.username });
      },
      onMailFrom: (_address, session, done) => {
        seen.mail.push(session.secure);
        done();
      },
      onData: (stream, _session, done) => {
        stream.on('end', () => done());
        stream.resume();
      },
    });
    servers.push(smtp);
    await new Promise<void>((ready) => smtp.listen(0, '127.0.0.1', ready));
    return { port: (smtp.server.address() as AddressInfo).port, seen };
  }

  function provider(port: number, over: Partial<SmtpSettings>): SmtpEmailProvider {
    const p = new SmtpEmailProvider({
      host: '127.0.0.1',
      port,
      secure: false,
      requireTls: false,
      rejectUnauthorized: true,
      user: '',
      password: '',
      maxConnections: 1,
      timeoutMs: 2_000,
      breaker: { volumeThreshold: 100 },
      ...over,
    });
    providers.push(p);
    return p;
  }

  const message = (n: number) => ({
    messageId: `<tls-${n}@notifier.local>`,
    from: 'alerts@example.com',
    to: 'cfo@example.com',
    subject: `tls ${n}`,
    text: 'hello',
    html: '<p>hello</p>',
  });
  const credentials = { user: 'notifier', password: 'mail-pass', rejectUnauthorized: false };

  it('sends its credentials only after STARTTLS', async () => {
    const { port, seen } = await server(true);
    await provider(port, credentials).send(message(1));
    expect(seen).toEqual({ auth: [true], mail: [true] });
  });

  it('never sends credentials to a server without STARTTLS, unless allowed for a local relay', async () => {
    const { port, seen } = await server(false);
    await expect(provider(port, credentials).send(message(2))).rejects.toMatchObject({ outcome: 'rejected' });
    expect(seen).toEqual({ auth: [], mail: [] });
    await provider(port, { ...credentials, allowPlainAuth: true }).send(message(3));
    expect(seen).toEqual({ auth: [false], mail: [false] });
  });

  it('without credentials, encrypts when the server offers STARTTLS (opportunistic: an unverifiable certificate does not stop it)', async () => {
    const { port, seen } = await server(true);
    await provider(port, {}).send(message(4));
    expect(seen.mail).toEqual([true]);
  });

  it('without credentials, still sends in the clear to a server that offers no STARTTLS', async () => {
    const { port, seen } = await server(false);
    await provider(port, {}).send(message(5));
    expect(seen.mail).toEqual([false]);
  });
});

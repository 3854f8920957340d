import { createServer, type RequestListener } from 'node:http';
import type { RequestHandler } from 'express';
import { ManagedServer, type RunningSandbox } from '@lib/simulators';
import { createControlApp } from './control.app';

export interface ControlServer {
  port: number;
  /** Base URL of the control API (no trailing slash; routes live under `/__sandbox`). */
  url: string;
  /** The identity provider's issuer: `<public URL>/idp`, served on this port. */
  idpIssuer: string;
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  // A wildcard address is not a place to send a browser to: loopback is.
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Serves the running simulators' control API, and the identity provider under `/idp`, on its own port (0 =
 * ephemeral), on the simulators' host. The issuer is `<publicUrl>/idp`; publicUrl defaults to
 * `http://<host>:<port>`, known only once listening, so requests answer 503 until the IdP is built.
 */
export async function serveControlApi(
  sandbox: RunningSandbox,
  port: number,
  publicUrl?: string,
): Promise<ControlServer> {
  const { host } = sandbox;
  let controlPort = port;
  let idpIssuer = '';
  const info = (): Record<string, unknown> => ({
    host,
    ports: { control: controlPort, ...sandbox.ports },
    robots: `${url}/robots`,
    seed: sandbox.seed,
    timeScale: sandbox.timeScale,
    idp: { issuer: idpIssuer },
  });
  let handle: RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.setHeader('retry-after', '1');
    res.end();
  };
  const http = createServer((req, res) => handle(req, res));
  const server = new ManagedServer(http, host, () => http.closeAllConnections());
  controlPort = await server.listen(port);
  const url = `http://${hostForUrl(host)}:${controlPort}`;
  try {
    idpIssuer = `${(publicUrl ?? url).replace(/\/+$/, '')}/idp`;
    const idp = await sandbox.idp.mount(idpIssuer);
    handle = createControlApp(
      sandbox.control,
      info,
      sandbox.logger.child({ target: 'control' }),
      idp.app,
      sandbox.robots.app as RequestHandler,
    );
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    port: controlPort,
    url,
    idpIssuer,
    close: () => server.close(),
  };
}

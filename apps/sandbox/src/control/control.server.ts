import { createServer } from 'node:http';
import { ManagedServer, type RunningSandbox } from '@lib/simulators';
import { createControlApp } from './control.app';

export interface ControlServer {
  port: number;
  /** Base URL of the control API (no trailing slash; routes live under `/__sandbox`). */
  url: string;
  close(): Promise<void>;
}

/** Serves the running simulators' control API on its own port (0 = ephemeral), on the simulators' host. */
export async function serveControlApi(sandbox: RunningSandbox, port: number): Promise<ControlServer> {
  const { host } = sandbox;
  let controlPort = port;
  const info = (): Record<string, unknown> => ({
    host,
    ports: { control: controlPort, ...sandbox.ports },
    seed: sandbox.seed,
    timeScale: sandbox.timeScale,
  });
  const app = createControlApp(sandbox.control, info, sandbox.logger.child({ target: 'control' }));
  const http = createServer(app);
  const server = new ManagedServer(http, host, () => http.closeAllConnections());
  controlPort = await server.listen(port);
  return {
    port: controlPort,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${controlPort}`,
    close: () => server.close(),
  };
}

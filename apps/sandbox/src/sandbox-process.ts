import { startSandbox, type RunningSandbox } from '@lib/simulators';
import type { SandboxProcessOptions } from './config/sandbox-env.config';
import { serveControlApi, type ControlServer } from './control/control.server';

export interface SandboxProcess {
  sandbox: RunningSandbox;
  control: ControlServer;
  close(): Promise<void>;
}

/**
 * The sandbox as the process runs it: the simulators (@lib/simulators) plus their control API over HTTP, with the
 * identity provider under `/idp` on the same port.
 */
export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const { controlPort, publicUrl, ...simulators } = options;
  const sandbox = await startSandbox(simulators);
  let control: ControlServer;
  try {
    control = await serveControlApi(sandbox, controlPort, publicUrl);
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return {
    sandbox,
    control,
    close: async () => {
      await control.close();
      await sandbox.close();
    },
  };
}

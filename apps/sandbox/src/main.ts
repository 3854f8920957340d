import { sandboxOptionsFromEnv } from './config/sandbox-env.config';
import { startSandboxProcess } from './sandbox-process';

/** Starts the sandbox from the environment (docs/sandbox.md) and stops it on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const { sandbox, control, close } = await startSandboxProcess(sandboxOptionsFromEnv(process.env));
  sandbox.logger.info(
    {
      urls: { control: control.url, ...sandbox.urls, robots: `${control.url}/robots` },
      idp: { issuer: control.idpIssuer },
      smtp: { host: sandbox.smtp.host, port: sandbox.smtp.port },
    },
    'sandbox ready',
  );
  const stop = (signal: string): void => {
    sandbox.logger.info({ signal }, 'stopping sandbox');
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

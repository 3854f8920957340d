import 'reflect-metadata';
import { Logger as NestLogger } from '@nestjs/common';
import { createHttpService } from '@lib/observability';
import { runMain } from '@lib/platform';
import { ConsoleAppModule } from './app.module';
import { loadConsoleConfig } from './console.config';
import { consoleHttpOptions } from './http/console-http';

runMain(async () => {
  const config = loadConsoleConfig();
  const app = await createHttpService({
    module: ConsoleAppModule.forRoot(config) as never,
    ...consoleHttpOptions(config),
  });
  if (config.CONSOLE_TRUST_PROXY_HOPS > 0) app.set('trust proxy', config.CONSOLE_TRUST_PROXY_HOPS);
  app.enableShutdownHooks();
  await app.listen(config.CONSOLE_PORT, config.HTTP_HOST);
  new NestLogger('Bootstrap').log(
    `console listening on ${await app.getUrl()} (public URL ${config.CONSOLE_PUBLIC_URL})`,
  );
});

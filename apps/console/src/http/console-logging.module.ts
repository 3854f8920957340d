import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@lib/observability';

/**
 * The house JSON logs, with one difference: the query of /auth/ URLs (the IdP's authorization code and state) is
 * never written. Headers are not logged (cookies and tokens stay out); the house redaction covers the rest.
 */
@Module({})
export class ConsoleLoggingModule {
  static forRoot(level: string): DynamicModule {
    return {
      module: ConsoleLoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions('console', level),
            autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics|assets\/)/.test(req.url ?? '') },
            customLogLevel: (_req, res, err) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({
                id: req.id,
                method: req.method,
                url: loggableUrl(req.url),
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

export function loggableUrl(url: string): string {
  return url.startsWith('/auth/') ? url.replace(/\?.*$/, '?…') : url;
}

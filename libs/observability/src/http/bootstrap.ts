import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { RequestHandler } from 'express';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './all-exceptions.filter';
import { jsonBodyParser, RouteBodyLimit } from './json-body-parser';

export type { RouteBodyLimit } from './json-body-parser';

export interface HttpServiceOptions {
  module: Type<unknown>;
  title: string;
  description?: string;
  /** Largest accepted JSON body (express syntax, e.g. '64kb'); 413 beyond it. */
  bodyLimit?: string;
  /** Other limits for the routes under some paths (the first that matches wins); `bodyLimit` for the rest. */
  routeBodyLimits?: readonly RouteBodyLimit[];
  /**
   * Middleware run before any body is read: a check that needs only the headers (who the caller is) can refuse a
   * request here without the body being buffered or parsed. Errors passed to `next` reach the exception filter.
   */
  beforeBody?: (app: INestApplication) => RequestHandler[];
  /** Keep the raw body bytes (for request signatures). */
  rawBody?: boolean;
  /** Bearer auth scheme in the OpenAPI document. */
  bearerAuth?: boolean;
  /** Serve the OpenAPI page at /docs and its document at /docs/openapi.json (default true). */
  docs?: boolean;
}

/** Creates the Nest HTTP application with the house defaults: JSON logs, error filter, OpenAPI at /docs. */
export async function createHttpService(options: HttpServiceOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, {
    bufferLogs: true,
    rawBody: options.rawBody ?? false,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  configureHttpApp(app, options);
  return app;
}

/** Shared by `createHttpService` and tests that build the app from a testing module. */
export function configureHttpApp(app: INestApplication, options: Omit<HttpServiceOptions, 'module'>): void {
  const express = app as NestExpressApplication;
  express.disable('x-powered-by');
  for (const handler of options.beforeBody?.(app) ?? []) express.use(handler);
  express.use(
    jsonBodyParser({
      limit: options.bodyLimit ?? '1mb',
      routes: options.routeBodyLimits,
      rawBody: options.rawBody,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  if (options.docs === false) return;
  const builder = new DocumentBuilder().setTitle(options.title).setVersion('1');
  if (options.description) builder.setDescription(options.description);
  if (options.bearerAuth) builder.addBearerAuth();
  // Relative: the host that served this document, whatever name a client reached it by.
  builder.addServer('/', 'this service');
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

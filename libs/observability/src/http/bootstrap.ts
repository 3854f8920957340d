import { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AllExceptionsFilter } from './all-exceptions.filter';

export interface HttpServiceOptions {
  module: Type<unknown>;
  title: string;
  description?: string;
  /** Largest accepted JSON body (express syntax, e.g. '8mb'). */
  bodyLimit?: string;
  /** Keep the raw body bytes (for request signatures). */
  rawBody?: boolean;
  /** Bearer auth scheme in the OpenAPI document. */
  bearerAuth?: boolean;
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
  express.useBodyParser('json', { limit: options.bodyLimit ?? '1mb', strict: true });
  app.useGlobalFilters(new AllExceptionsFilter());
  const builder = new DocumentBuilder().setTitle(options.title).setVersion('1');
  if (options.description) builder.setDescription(options.description);
  if (options.bearerAuth) builder.addBearerAuth();
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

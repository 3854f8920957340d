import { Module } from '@nestjs/common';
import { DeviceEventsController } from './device-events.controller';
import { EventMessageFactory } from './event-message.factory';
import { IdempotencyRepository } from './idempotency.repository';
import { InvoiceClaimsRepository } from './invoice-claims.repository';
import { InvoicesController } from './invoices.controller';
import { JsonDepthInterceptor } from './json-depth.interceptor';
import { IngestInvoicesUseCase } from '../use-cases/ingest-invoices/ingest-invoices.use-case';
import { RecordDeviceEventUseCase } from '../use-cases/record-device-event/record-device-event.use-case';

/** Signed ingest: invoices and device events, validated, de-duplicated, written with their outbox rows. */
@Module({
  controllers: [InvoicesController, DeviceEventsController],
  providers: [
    IdempotencyRepository,
    InvoiceClaimsRepository,
    EventMessageFactory,
    JsonDepthInterceptor,
    IngestInvoicesUseCase,
    RecordDeviceEventUseCase,
  ],
})
export class IngestModule {}

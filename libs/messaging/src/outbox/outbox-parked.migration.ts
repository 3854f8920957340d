import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where the outbox relay parks a row that Kafka refuses even alone and compressed (larger than the topic's
 * max.message.bytes): the row as it was, with why and when, so that nothing accepted is lost and the rows behind it
 * go on. A person decides what becomes of it (see the `.dlq` record that names it).
 */
export class CreateOutboxParked1763800000002 implements MigrationInterface {
  name = 'CreateOutboxParked1763800000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_parked (
        outbox_id    bigint      PRIMARY KEY,
        topic        text        NOT NULL,
        message_key  text        NOT NULL,
        event_id     uuid        NOT NULL,
        event_type   text        NOT NULL,
        headers      jsonb       NOT NULL,
        payload      text        NOT NULL,
        created_at   timestamptz NOT NULL,
        parked_at    timestamptz NOT NULL DEFAULT now(),
        reason       text        NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS outbox_parked');
  }
}

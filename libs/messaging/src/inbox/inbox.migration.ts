import { MigrationInterface, QueryRunner } from 'typeorm';

/** Ids of the messages each consumer group has processed: redeliveries are recognised and skipped. */
export class CreateInbox1763800000001 implements MigrationInterface {
  name = 'CreateInbox1763800000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE inbox (
        consumer_group text        NOT NULL,
        event_id       uuid        NOT NULL,
        topic          text        NOT NULL,
        kafka_partition int        NOT NULL,
        kafka_offset   bigint      NOT NULL,
        processed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await q.query('CREATE INDEX inbox_processed_at ON inbox (processed_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS inbox');
  }
}

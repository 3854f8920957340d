import { MigrationInterface, QueryRunner } from 'typeorm';

/** The transactional outbox: rows written with the business data, published and deleted by the relay. */
export class CreateOutbox1763800000000 implements MigrationInterface {
  name = 'CreateOutbox1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id           bigserial PRIMARY KEY,
        topic        text        NOT NULL,
        message_key  text        NOT NULL,
        event_id     uuid        NOT NULL,
        event_type   text        NOT NULL,
        headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        payload      text        NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS outbox');
  }
}

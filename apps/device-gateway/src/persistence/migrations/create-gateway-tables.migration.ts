import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's tables:
 * - devices: the registry; secrets only as AES-256-GCM ciphertext with the id of the master key used;
 * - device_nonces: nonces seen within the clock-skew window, shared by every replica;
 * - ingested_events: one row per client eventId ever answered accepted or duplicate (the idempotency record);
 * - invoice_contents: every distinct content accepted per invoice key and kind (duplicate detection across eventIds).
 */
export class CreateGatewayTables1763900000000 implements MigrationInterface {
  name = 'CreateGatewayTables1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE devices (
        device_id          text        PRIMARY KEY,
        tax_no             text        NOT NULL,
        branch_id          text        NOT NULL,
        name               text        NOT NULL,
        status             text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        secret_key_id      text        NOT NULL,
        secret_iv          bytea       NOT NULL,
        secret_ciphertext  bytea       NOT NULL,
        secret_tag         bytea       NOT NULL,
        secret_rotated_at  timestamptz,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        disabled_at        timestamptz
      )`);
    await q.query('CREATE INDEX devices_listing ON devices (created_at, device_id)');
    await q.query('CREATE INDEX devices_by_tax_no ON devices (tax_no, branch_id, created_at, device_id)');
    await q.query('CREATE INDEX devices_by_key ON devices (secret_key_id)');

    await q.query(`
      CREATE TABLE device_nonces (
        device_id   text        NOT NULL,
        nonce       text        NOT NULL,
        expires_at  timestamptz NOT NULL,
        PRIMARY KEY (device_id, nonce)
      )`);
    await q.query('CREATE INDEX device_nonces_expiry ON device_nonces (expires_at)');

    await q.query(`
      CREATE TABLE ingested_events (
        event_id      uuid        PRIMARY KEY,
        event_type    text        NOT NULL,
        device_id     text        NOT NULL,
        content_hash  bytea       NOT NULL,
        invoice_key   text,
        received_at   timestamptz NOT NULL
      )`);

    await q.query(`
      CREATE TABLE invoice_contents (
        invoice_key   text        NOT NULL,
        kind          text        NOT NULL,
        content_hash  bytea       NOT NULL,
        event_id      uuid        NOT NULL,
        accepted_at   timestamptz NOT NULL,
        PRIMARY KEY (invoice_key, kind, content_hash)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS invoice_contents');
    await q.query('DROP TABLE IF EXISTS ingested_events');
    await q.query('DROP TABLE IF EXISTS device_nonces');
    await q.query('DROP TABLE IF EXISTS devices');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The device's number at the authority (机器编号), optional: given at registration or set later by an admin, and
 * carried in every device event so that reconcile can ask the authority about the device's clear-card.
 */
export class AddDeviceNo1763900000100 implements MigrationInterface {
  name = 'AddDeviceNo1763900000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices ADD COLUMN device_no text CHECK (device_no ~ '^[0-9A-Za-z-]{1,32}$')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE devices DROP COLUMN IF EXISTS device_no');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `device_numbers.device_name`: the name the gateway registered the device under, as its latest device event carried
 * it (null: none, or only events of an older gateway were seen). The device findings' evidence carries it beside the
 * 机器编号, so every reader names the device as a finance clerk knows it rather than by its internal id.
 */
export class DeviceNames1766000000300 implements MigrationInterface {
  name = 'DeviceNames1766000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE device_numbers ADD COLUMN device_name text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE device_numbers DROP COLUMN IF EXISTS device_name');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Target and platform names are no longer listed in constraints: they come from the target registry (libs/providers)
 * and are checked where they enter (the admin API, SYNC_DEFAULT_PLATFORMS), so a new target needs no migration.
 * `down` restores the three-vendor checks; it fails while rows name another target (delete those first).
 */
export class OpenTargetNames1764000000003 implements MigrationInterface {
  name = 'OpenTargetNames1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE routing DROP CONSTRAINT routing_platforms_check');
    await q.query('ALTER TABLE deliveries DROP CONSTRAINT deliveries_target_check');
    await q.query('ALTER TABLE deliveries DROP CONSTRAINT deliveries_relay_via_check');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_relay_via_check CHECK (relay_via IN ('baiwang', 'nuonuo'))`,
    );
    await q.query(
      `ALTER TABLE deliveries ADD CONSTRAINT deliveries_target_check CHECK (target IN ('authority', 'baiwang', 'nuonuo'))`,
    );
    await q.query(
      `ALTER TABLE routing ADD CONSTRAINT routing_platforms_check CHECK (platforms <@ ARRAY['baiwang', 'nuonuo']::text[])`,
    );
  }
}

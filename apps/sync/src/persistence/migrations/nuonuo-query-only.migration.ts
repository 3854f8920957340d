import { MigrationInterface, QueryRunner } from 'typeorm';

const SUBJECT = 'migration:NuonuoQueryOnly1766000000016';
const NAME = 'migration NuonuoQueryOnly (issue 16)';
const REASON =
  "Nuonuo is a query channel: its API (requestBillingNew) issues a new invoice and takes none a tax device issued, so delivering there would issue a duplicate";

/**
 * Issue 16: Nuonuo is no longer a delivery platform (registry role `query`). Routings that list it lose it, each change
 * written to the audit log as a `routing.update` by this migration's service actor (who, when, what was removed and why)
 * and visible in `GET /v1/routing` as `updatedBy`: never a silent change. Deliveries to Nuonuo still open are left to
 * the workers: one already submitted is looked up, any other is rejected NUONUO_QUERY_ONLY without a call.
 * `down` puts Nuonuo back (last in the list) on the routings this migration changed and drops its audit entries.
 */
export class NuonuoQueryOnly1766000000016 implements MigrationInterface {
  name = 'NuonuoQueryOnly1766000000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `WITH changed AS (
         UPDATE routing
            SET platforms = array_remove(platforms, 'nuonuo'), updated_by = $2, updated_by_kind = 'service',
                updated_by_subject = $1, updated_at = now()
          WHERE 'nuonuo' = ANY (platforms)
         RETURNING tax_no, platforms, allow_failover)
       INSERT INTO audit_log (at, actor_kind, actor_subject, actor_name, action, target_type, target_id, tax_no, reason, detail)
       SELECT now(), 'service', $1, $2, 'routing.update', 'routing', tax_no, tax_no, $3,
              jsonb_build_object('platforms', to_jsonb(platforms), 'allowFailover', allow_failover, 'removed', jsonb_build_array('nuonuo'))
         FROM changed`,
      [SUBJECT, NAME, REASON],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE routing r SET platforms = r.platforms || ARRAY['nuonuo']::text[]
         FROM audit_log a
        WHERE a.actor_subject = $1 AND a.target_id = r.tax_no AND NOT ('nuonuo' = ANY (r.platforms))`,
      [SUBJECT],
    );
    await q.query('DELETE FROM audit_log WHERE actor_subject = $1', [SUBJECT]);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

const OLD_CHANNELS = "'email', 'sms'";
const CHANNELS = "'email', 'sms', 'wecom', 'dingtalk', 'feishu'";

/**
 * Group-robot channels (WeCom, DingTalk, Feishu). A recipient (typically a finance team) names the robots it is
 * reached through; the names refer to the notifier's configuration, which alone holds the keys, tokens and
 * signing secrets: nothing secret enters the database, its backups or the admin API. Rules and notifications
 * accept the new channels, and a recipient reachable only by a robot is valid.
 */
export class AddRobotChannels1765000000003 implements MigrationInterface {
  name = 'AddRobotChannels1765000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recipients
      ADD COLUMN wecom_robot    text CHECK (wecom_robot ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
      ADD COLUMN dingtalk_robot text CHECK (dingtalk_robot ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
      ADD COLUMN feishu_robot   text CHECK (feishu_robot ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$')`);
    await this.replaceContactCheck(
      q,
      'email IS NOT NULL OR mobile IS NOT NULL OR wecom_robot IS NOT NULL OR dingtalk_robot IS NOT NULL OR feishu_robot IS NOT NULL',
    );
    await q.query(`ALTER TABLE routing_rules DROP CONSTRAINT routing_rules_channels_check,
      ADD CONSTRAINT routing_rules_channels_check
        CHECK (channels <@ ARRAY[${CHANNELS}]::text[] AND cardinality(channels) > 0)`);
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check,
      ADD CONSTRAINT notifications_channel_check CHECK (channel IN (${CHANNELS}))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE channel NOT IN (${OLD_CHANNELS})`);
    await q.query(
      `UPDATE routing_rules SET channels = ARRAY(SELECT c FROM unnest(channels) c WHERE c IN (${OLD_CHANNELS}))`,
    );
    await q.query('DELETE FROM routing_rules WHERE cardinality(channels) = 0');
    await q.query('DELETE FROM recipients WHERE email IS NULL AND mobile IS NULL');
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT notifications_channel_check,
      ADD CONSTRAINT notifications_channel_check CHECK (channel IN (${OLD_CHANNELS}))`);
    await q.query(`ALTER TABLE routing_rules DROP CONSTRAINT routing_rules_channels_check,
      ADD CONSTRAINT routing_rules_channels_check
        CHECK (channels <@ ARRAY[${OLD_CHANNELS}]::text[] AND cardinality(channels) > 0)`);
    await this.replaceContactCheck(q, 'email IS NOT NULL OR mobile IS NOT NULL');
    await q.query(
      'ALTER TABLE recipients DROP COLUMN wecom_robot, DROP COLUMN dingtalk_robot, DROP COLUMN feishu_robot',
    );
  }

  /** The "reachable somehow" check was created unnamed: find it by what it says, and put a named one instead. */
  private async replaceContactCheck(q: QueryRunner, condition: string): Promise<void> {
    const rows = (await q.query(
      `SELECT conname FROM pg_constraint
        WHERE conrelid = 'recipients'::regclass AND contype = 'c'
          AND (conname = 'recipients_contact_check'
               OR (pg_get_constraintdef(oid) LIKE '%email IS NOT NULL%' AND pg_get_constraintdef(oid) LIKE '%mobile IS NOT NULL%'))`,
    )) as Array<{ conname: string }>;
    for (const { conname } of rows) await q.query(`ALTER TABLE recipients DROP CONSTRAINT "${conname}"`);
    await q.query(`ALTER TABLE recipients ADD CONSTRAINT recipients_contact_check CHECK (${condition})`);
  }
}

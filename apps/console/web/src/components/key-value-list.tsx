import { Descriptions, Typography } from 'antd';
import { text } from '../domain/format';

/** A JSON object (a finding's evidence, a timeline entry) as a readable list of keys and values. */
export function KeyValueList({
  value,
  bordered = true,
}: {
  value: Record<string, unknown> | null | undefined;
  bordered?: boolean;
}) {
  const entries = Object.entries(value ?? {});
  if (entries.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Descriptions size="small" bordered={bordered} column={1}>
      {entries.map(([key, v]) => (
        <Descriptions.Item key={key} label={key}>
          {v !== null && typeof v === 'object' ? (
            <code style={{ whiteSpace: 'pre-wrap' }}>{JSON.stringify(v, null, 2)}</code>
          ) : (
            text(v)
          )}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

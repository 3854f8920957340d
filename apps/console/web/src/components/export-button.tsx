import { DownOutlined, DownloadOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { exportUrl, type Query } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** Export all rows matching the page's filters: plain download links, the browser does the rest. */
export function ExportButton({
  kind,
  query,
}: {
  kind: 'findings' | 'invoices' | 'devices' | 'audit';
  query: Query;
}) {
  const { t } = useI18n();
  const items = [
    {
      key: 'xlsx',
      label: (
        <a href={exportUrl(kind, 'xlsx', query)} download>
          Excel
        </a>
      ),
    },
    {
      key: 'csv',
      label: (
        <a href={exportUrl(kind, 'csv', query)} download>
          CSV
        </a>
      ),
    },
  ];
  return (
    <Dropdown menu={{ items }} trigger={['click']}>
      <Button icon={<DownloadOutlined />}>
        {t('export')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

import { DEVICE_CHANGES } from '@lib/contracts/device-lifecycle';
import { isRemoteOpErrorCode, REMOTE_OP_FAILURES } from '@lib/contracts/remote-ops';
import { Tag } from 'antd';
import { api } from '../api/client';
import type { Actor, Page } from '../api/types';
import type { Lang, Translate } from '../i18n/i18n';

/** A device's lifecycle status as the gateway answers it (`disabled` is the old name of `retired`). */
export type DeviceStatus = 'active' | 'suspended' | 'retired';

export function deviceStatus(value: unknown): DeviceStatus | null {
  if (value === 'active' || value === 'suspended' || value === 'retired') return value;
  return value === 'disabled' ? 'retired' : null;
}

const STATUS_COLOURS: Record<DeviceStatus, string> = {
  active: 'green',
  suspended: 'orange',
  retired: 'default',
};

/** The status as a tag: green active, orange suspended, grey retired; an unknown status as it came. */
export function DeviceStatusTag({ status, t, testId }: { status: unknown; t: Translate; testId?: string }) {
  const known = deviceStatus(status);
  if (!known) return <Tag data-testid={testId}>{typeof status === 'string' && status ? status : '—'}</Tag>;
  return (
    <Tag color={STATUS_COLOURS[known]} data-testid={testId}>
      {t(`device.status.${known}`)}
    </Tag>
  );
}

/** The platform a device is hosted on, by its name in the page's language; "not hosted" for null. */
export function hostedOnText(hostedOn: unknown, t: Translate): string {
  if (hostedOn === 'baiwang' || hostedOn === 'nuonuo') return t(`device.platform.${hostedOn}`);
  if (typeof hostedOn === 'string' && hostedOn) return hostedOn;
  return t('device.notHosted');
}

/** One entry of a device's change history (`GET /v1/admin/devices/{id}/changes`), newest first. */
export interface DeviceChange {
  change: string;
  at: string;
  reason?: string | null;
  actor?: Actor | string | null;
  status?: string | null;
  /** What else the change set: the new 机器编号, the hosting platform, the replacement of a retired device. */
  detail?: Record<string, unknown> | null;
}

/** The registry's change kinds, as the gateway records them. */
export const CHANGE_KINDS = DEVICE_CHANGES;

/** The change in the page's language, with what it set when that says more (`设置托管平台：百望云`). */
export function changeText(entry: Pick<DeviceChange, 'change' | 'detail'>, t: Translate): string {
  const { change, detail } = entry;
  const name = (CHANGE_KINDS as readonly string[]).includes(change)
    ? t(`device.change.${change as (typeof CHANGE_KINDS)[number]}`)
    : change;
  let value: string | null = null;
  if (change === 'hosting-set' && detail && 'hostedOn' in detail) value = hostedOnText(detail.hostedOn, t);
  else if (change === 'device-no-set' && typeof detail?.deviceNo === 'string') value = detail.deviceNo;
  else if (change === 'retired' && typeof detail?.replacedBy === 'string')
    value = `${t('reset.replacement')} ${detail.replacedBy}`;
  return value ? `${name}: ${value}` : name;
}

/** Sync's remote 抄报 / 清卡 of one hosted device in one period (`GET /v1/remote-ops`). */
export interface RemoteOp {
  deviceId: string;
  taxNo: string;
  branchId?: string | null;
  deviceNo?: string | null;
  hostedOn?: string | null;
  period: string;
  state: string;
  attempts?: number;
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  nextAttemptAt?: string | null;
  reportedAt?: string | null;
  clearedAt?: string | null;
}

export const REMOTE_OP_STATES = ['pending', 'reported', 'cleared', 'failed', 'disabled'] as const;
const REMOTE_OP_COLOURS: Record<(typeof REMOTE_OP_STATES)[number], string> = {
  pending: 'processing',
  reported: 'cyan',
  cleared: 'green',
  failed: 'red',
  disabled: 'default',
};

/** The state of a period's remote operations as a tag; "not started" when sync has no job for it yet. */
export function RemoteOpTag({ op, t }: { op: RemoteOp | null | undefined; t: Translate }) {
  if (!op) return <Tag data-testid="remote-op-state">{t('remoteOp.state.none')}</Tag>;
  const known = (REMOTE_OP_STATES as readonly string[]).includes(op.state)
    ? (op.state as (typeof REMOTE_OP_STATES)[number])
    : null;
  return (
    <Tag color={known ? REMOTE_OP_COLOURS[known] : undefined} data-testid="remote-op-state">
      {known ? t(`remoteOp.state.${known}`) : op.state}
    </Tag>
  );
}

/** What a person should do about a failed remote operation, by its error code (libs/contracts), in the page's language. */
export function remoteOpAdvice(code: string | null | undefined, lang: Lang): string | null {
  if (!isRemoteOpErrorCode(code)) return null;
  return REMOTE_OP_FAILURES[code].advice[lang === 'en' ? 'en' : 'zh-CN'];
}

/** Pages read per taxpayer at most: a taxpayer with more hosted devices shows the rest as not started. */
const MAX_PAGES = 10;

/**
 * Sync's remote operations of the given taxpayers' hosted devices, by device id, for the period sync is filing (or, between
 * filing windows, the last one): one listing per taxpayer (sync lists by taxpayer and period), paged through. `period` is
 * the one sync answered for (null when no taxpayer was asked about).
 */
export async function loadRemoteOps(
  taxNos: Iterable<string>,
): Promise<{ period: string | null; byDevice: Map<string, RemoteOp> }> {
  const byDevice = new Map<string, RemoteOp>();
  let period: string | null = null;
  await Promise.all(
    [...new Set(taxNos)].map(async (taxNo) => {
      let cursor: string | null | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer = await api.get<Page<RemoteOp> & { period?: string }>('sync', 'remote-ops', {
          taxNo,
          cursor,
          limit: 200,
        });
        period = answer.period ?? period;
        for (const op of answer.items ?? []) byDevice.set(op.deviceId, op);
        cursor = answer.nextCursor;
        if (!cursor) break;
      }
    }),
  );
  return { period, byDevice };
}

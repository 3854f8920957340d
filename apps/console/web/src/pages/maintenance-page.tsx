import { App, Button, Card, Form, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api/client';
import type { Actor, Page } from '../api/types';
import { CursorPager, useCursorStack } from '../components/cursor-pager';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { pageTableProps } from '../components/page-table';
import { useUrlFilters } from '../components/url-filters';
import { useAsync } from '../components/use-async';
import { actorName, formatTime } from '../domain/format';
import { useI18n } from '../i18n/i18n';
import { useCan } from '../session/session';
import { MAINTENANCE_TARGETS, maintenanceTexts, phaseOf, type MaintenancePhase } from './maintenance-texts';
import { fromBeijing, MaintenanceWindowForm, toBeijing, type WindowBody } from './maintenance-window-form';

/** A window as reconcile's `GET /v1/maintenance-windows` lists it (docs/maintenance.md, "API"). */
interface MaintenanceWindow {
  id: string;
  target: string;
  startsAt: string;
  endsAt: string;
  reason: string;
  taxNos: string[] | null;
  state: string;
  revision: number;
  cancelReason: string | null;
  createdBy: Actor;
  updatedBy: Actor;
  updatedAt: string;
}

const PHASE_COLORS: Record<MaintenancePhase, string> = {
  upcoming: 'blue',
  'in-progress': 'orange',
  ended: 'default',
  cancelled: 'red',
};

/** Beijing time to the minute, as windows are announced. */
const minute = (iso: string) => formatTime(iso).slice(0, 16);

/** Only what the person changed: the service refuses an empty change, and counts every change as a revision. */
function changes(before: MaintenanceWindow, body: WindowBody): Partial<WindowBody> {
  const out: Partial<WindowBody> = {};
  if (body.target !== before.target) out.target = body.target;
  if (body.startsAt !== fromBeijing(toBeijing(before.startsAt))) out.startsAt = body.startsAt;
  if (body.endsAt !== fromBeijing(toBeijing(before.endsAt))) out.endsAt = body.endsAt;
  if (body.reason !== before.reason) out.reason = body.reason;
  if (JSON.stringify(body.taxNos ? [...body.taxNos].sort() : null) !== JSON.stringify(before.taxNos))
    out.taxNos = body.taxNos;
  if (body.note) out.note = body.note;
  return out;
}

/**
 * 维护窗口 / Maintenance: every window (latest start first) with its phase (upcoming, in progress, ended, cancelled)
 * and revision, for whoever reads runs. People holding maintenance:manage (the admin) announce, change and cancel;
 * reconcile checks the permission again and records the person in the audit log, and the notifier tells recipients.
 */
export function MaintenancePage() {
  const { lang } = useI18n();
  const m = maintenanceTexts(lang);
  const can = useCan();
  const manage = can('maintenance:manage');
  const report = useReportError();
  const { message } = App.useApp();
  const url = useUrlFilters();
  const target = url.get('target');
  const paging = useCursorStack(target ?? '');
  const result = useAsync(
    () =>
      api.get<Page<MaintenanceWindow>>('reconcile', 'maintenance-windows', {
        target,
        cursor: paging.cursor,
        limit: 50,
      }),
    `${target ?? ''}|${paging.cursor ?? ''}`,
  );
  const [announcing, setAnnouncing] = useState(false);
  const [changing, setChanging] = useState<MaintenanceWindow | null>(null);
  const [cancelling, setCancelling] = useState<MaintenanceWindow | null>(null);
  const now = new Date();
  const done = (text: 'announced' | 'changed' | 'cancelled') => {
    setAnnouncing(false);
    setChanging(null);
    setCancelling(null);
    void message.success(m(text));
    result.reload();
  };
  const act = async (call: () => Promise<unknown>, text: 'announced' | 'changed' | 'cancelled') => {
    try {
      await call();
      done(text);
    } catch (e) {
      report(e);
    }
  };
  const setTarget = (value: string | undefined) => url.set('target', value);
  return (
    <Card
      title={m('title')}
      extra={
        manage ? (
          <Button type="primary" onClick={() => setAnnouncing(true)}>
            {m('announce')}
          </Button>
        ) : null
      }
    >
      <Form layout="inline" className="console-filters" name="maintenance-filters">
        <Form.Item label={m('target')} htmlFor="maintenance-target">
          <Select
            id="maintenance-target"
            allowClear
            placeholder={m('allTargets')}
            value={target}
            onChange={(v?: string) => setTarget(v)}
            style={{ width: 180 }}
            options={MAINTENANCE_TARGETS.map((x) => ({ value: x, label: m(`target.${x}`) }))}
          />
        </Form.Item>
      </Form>
      <Table<MaintenanceWindow>
        {...pageTableProps(result, 'data-window-id')}
        columns={[
          {
            title: m('state'),
            key: 'state',
            render: (_: unknown, w: MaintenanceWindow) => {
              const phase = phaseOf(w, now);
              return (
                <Tag color={PHASE_COLORS[phase]} data-testid="window-phase">
                  {m(`phase.${phase}`)}
                </Tag>
              );
            },
          },
          {
            title: m('target'),
            key: 'target',
            render: (_: unknown, w: MaintenanceWindow) =>
              MAINTENANCE_TARGETS.includes(w.target as never)
                ? m(`target.${w.target as (typeof MAINTENANCE_TARGETS)[number]}`)
                : w.target,
          },
          {
            title: m('startsAt'),
            key: 'startsAt',
            render: (_: unknown, w: MaintenanceWindow) => minute(w.startsAt),
          },
          {
            title: m('endsAt'),
            key: 'endsAt',
            render: (_: unknown, w: MaintenanceWindow) => minute(w.endsAt),
          },
          {
            title: m('reason'),
            key: 'reason',
            render: (_: unknown, w: MaintenanceWindow) => (
              <Space orientation="vertical" size={0}>
                <span>{w.reason}</span>
                {w.cancelReason && (
                  <Typography.Text type="secondary">
                    {m('cancelReason', { reason: w.cancelReason })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            title: m('taxNos'),
            key: 'taxNos',
            render: (_: unknown, w: MaintenanceWindow) =>
              w.taxNos ? w.taxNos.join(', ') : m('allTaxpayers'),
          },
          {
            title: m('revision'),
            key: 'revision',
            render: (_: unknown, w: MaintenanceWindow) => (
              <span data-testid="window-revision">{w.revision}</span>
            ),
          },
          {
            title: m('updatedBy'),
            key: 'updatedBy',
            render: (_: unknown, w: MaintenanceWindow) => (
              <Space orientation="vertical" size={0}>
                <span data-testid="window-updated-by">{actorName(w.updatedBy)}</span>
                <Typography.Text type="secondary">{formatTime(w.updatedAt)}</Typography.Text>
              </Space>
            ),
          },
          ...(manage
            ? [
                {
                  title: m('actions'),
                  key: 'actions',
                  render: (_: unknown, w: MaintenanceWindow) => {
                    const phase = phaseOf(w, now);
                    return phase === 'upcoming' || phase === 'in-progress' ? (
                      <Space>
                        <Button size="small" onClick={() => setChanging(w)}>
                          {m('change')}
                        </Button>
                        <Button size="small" danger onClick={() => setCancelling(w)}>
                          {m('cancel')}
                        </Button>
                      </Space>
                    ) : null;
                  },
                },
              ]
            : []),
        ]}
      />
      <CursorPager nextCursor={result.data?.nextCursor} paging={paging} loading={result.loading} />
      <MaintenanceWindowForm
        open={announcing}
        title={m('announceTitle')}
        texts={m}
        onCancel={() => setAnnouncing(false)}
        onConfirm={(body) => act(() => api.post('reconcile', 'maintenance-windows', body), 'announced')}
      />
      <MaintenanceWindowForm
        open={changing !== null}
        title={m('changeTitle')}
        texts={m}
        initial={changing ?? undefined}
        withNote
        onCancel={() => setChanging(null)}
        onConfirm={(body) =>
          changing
            ? act(
                () =>
                  api.raw(
                    'PATCH',
                    `/api/reconcile/maintenance-windows/${encodeURIComponent(changing.id)}`,
                    changes(changing, body),
                  ),
                'changed',
              )
            : Promise.resolve()
        }
      />
      <ReasonModal
        open={cancelling !== null}
        title={m('cancelTitle')}
        maxLength={500}
        onCancel={() => setCancelling(null)}
        onConfirm={(reason) =>
          cancelling
            ? act(
                () =>
                  api.post('reconcile', `maintenance-windows/${encodeURIComponent(cancelling.id)}/cancel`, {
                    reason,
                  }),
                'cancelled',
              )
            : Promise.resolve()
        }
      />
    </Card>
  );
}

import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Radio, Space, Steps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/api-error';
import { api, downloadFile } from '../api/client';
import type { Actor, Page, Row } from '../api/types';
import { useReportError } from '../components/notify';
import { ReasonModal } from '../components/reason-modal';
import { useAsync } from '../components/use-async';
import { spinnerWhile } from '../components/busy';
import { actorName, formatTime, text } from '../domain/format';
import { useI18n, type Translate } from '../i18n/i18n';
import { REASON_MAX } from './device-lifecycle';
import { deviceStatus } from './device-ops';
import { DeviceSecretModal, type IssuedSecret } from './device-secret';

/** The steps of a guided reset, in order (docs/device-operations.md, "Guided reset"). */
export const RESET_STEPS = ['backup', 'suspend', 'rekey', 'resync', 'verify', 'closed'] as const;
export type ResetStep = (typeof RESET_STEPS)[number];
type ResetMode = 'rotate' | 'replace';

interface ResetStepRecord {
  step: ResetStep | 'cancelled';
  outcome: 'succeeded' | 'failed';
  detail?: Record<string, unknown> | null;
  actor?: Actor | string | null;
  at: string;
}

/** A reset as reconcile shows it: `state` is the step to perform next, then `verified`, `closed` or `cancelled`. */
export interface DeviceReset {
  id: string;
  deviceId: string;
  mode: ResetMode;
  reason: string;
  state: string;
  nextStep: ResetStep | null;
  replacementDeviceId?: string | null;
  backup?: { sha256: string; rows: number; periods: string[]; at: string } | null;
  createdBy?: Actor | string | null;
  createdAt: string;
  endedAt?: string | null;
  steps?: ResetStepRecord[];
}

const ended = (r: DeviceReset) => r.state === 'closed' || r.state === 'cancelled';

/**
 * Why a step failed (or a reset was cancelled), from what reconcile recorded with it: a reason, the gateway's refusal,
 * the checks `verify` found failing, the candidates of an ambiguous replacement.
 */
function recordReason(record: ResetStepRecord | undefined): string | null {
  const detail = record?.detail;
  if (!detail) return null;
  if (typeof detail.reason === 'string' && detail.reason) return detail.reason;
  const gateway = detail.gateway as { status?: unknown; code?: unknown; message?: unknown } | undefined;
  if (gateway && typeof gateway.message === 'string')
    return `${gateway.message}${typeof gateway.code === 'string' ? ` (${gateway.code})` : ''}`;
  if (Array.isArray(detail.checks)) {
    const failing = (detail.checks as { ok?: unknown; detail?: unknown }[])
      .filter((c) => c.ok === false && typeof c.detail === 'string')
      .map((c) => c.detail as string);
    if (failing.length > 0) return failing.join('; ');
  }
  if (Array.isArray(detail.candidates)) return detail.candidates.join(', ');
  return null;
}

/** The state as a tag: in progress (naming the step due), closed, cancelled. */
function ResetStateTag({ reset, t }: { reset: DeviceReset; t: Translate }) {
  if (reset.state === 'closed') return <Tag color="green">{t('reset.state.closed')}</Tag>;
  if (reset.state === 'cancelled') return <Tag>{t('reset.state.cancelled')}</Tag>;
  return (
    <Tag color="processing">
      {t('reset.state.open')}
      {reset.nextStep ? ` · ${t(`reset.step.${reset.nextStep}`)}` : ''}
    </Tag>
  );
}

/** The secret `rekey` answers once (`{reset, secret: {deviceId, secret}}`): the device's, or its replacement's. */
function issuedSecretOf(answer: StepAnswer | undefined): IssuedSecret | null {
  const issued = answer?.secret;
  return issued && typeof issued.secret === 'string' && issued.secret ? { deviceId: issued.deviceId, secret: issued.secret } : null;
}

/** What performing a step answers: the reset as it is now, and for `rekey` the new secret. */
interface StepAnswer {
  reset?: DeviceReset;
  secret?: { deviceId: string; secret: string };
}

interface StartValues {
  mode: ResetMode;
  reason: string;
}

/**
 * The guided reset (清盘 / 重置) of a device, from reconcile: its open reset (else the latest) as steps, each with who
 * performed it and when, or why it failed; for people who may manage devices, Start, the button of the step due and
 * Cancel. The backup step downloads the CSV; the rekey step shows the new secret once.
 */
export function DeviceResetPanel({
  device,
  canManage,
  onDeviceChanged,
}: {
  device: Row;
  canManage: boolean;
  onDeviceChanged: () => void;
}) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const report = useReportError();
  const deviceId = String(device.deviceId);
  const [version, setVersion] = useState(0);
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState<ResetStep | null>(null);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  // the refusal of the last step tried, as reconcile answered it (shown until the reset is read again with its record)
  const [refusal, setRefusal] = useState<{ step: ResetStep; message: string } | null>(null);
  const [form] = Form.useForm<StartValues>();
  const result = useAsync(
    async () => {
      const page = await api.get<Page<DeviceReset>>('reconcile', 'device-resets', { deviceId });
      const items = page.items ?? [];
      const chosen = items.find((r) => !ended(r)) ?? items[0];
      return chosen ? api.get<DeviceReset>('reconcile', `device-resets/${encodeURIComponent(chosen.id)}`) : null;
    },
    `reset:${deviceId}:${version}`,
    true,
  );
  const reload = () => setVersion((n) => n + 1);
  const reset = result.data ?? null;
  const open = reset !== null && !ended(reset);
  const base = reset ? `device-resets/${encodeURIComponent(reset.id)}` : '';

  const start = async () => {
    const values = await form.validateFields();
    try {
      await api.post<DeviceReset>('reconcile', 'device-resets', { deviceId, mode: values.mode, reason: values.reason.trim() });
      setStarting(false);
      form.resetFields();
      reload();
    } catch (e) {
      report(e);
    }
  };

  const perform = async (step: ResetStep) => {
    if (!reset) return;
    setBusy(step);
    setRefusal(null);
    try {
      if (step === 'backup') {
        await downloadFile('reconcile', `${base}/backup.csv`, `device-backup-${deviceId}.csv`);
      } else {
        const answer = await api.post<StepAnswer>('reconcile', `${base}/steps/${step}`, {});
        if (step === 'rekey') setIssued(issuedSecretOf(answer));
      }
      void message.success(t('reset.stepDone', { step: t(`reset.step.${step}`) }));
    } catch (e) {
      if (e instanceof ApiError) setRefusal({ step, message: e.message });
      report(e);
    } finally {
      setBusy(null);
      // done or failed, the step is recorded; suspend and resync change the device too
      reload();
      if (step === 'suspend' || step === 'resync' || step === 'rekey') onDeviceChanged();
    }
  };

  const cancel = async (reason: string) => {
    try {
      await api.post('reconcile', `${base}/cancel`, { reason });
      setCancelling(false);
      reload();
    } catch (e) {
      report(e);
      throw e;
    }
  };

  const records = reset?.steps ?? [];
  const lastOf = (step: string) => [...records].reverse().find((r) => r.step === step);
  const cancelled = lastOf('cancelled');
  const retired = deviceStatus(device.status) === 'retired';

  return (
    <Card
      title={t('reset.title')}
      size="small"
      style={{ marginTop: 16 }}
      data-testid="device-reset"
      extra={
        canManage && (
          <Space>
            {open ? (
              <Button danger onClick={() => setCancelling(true)}>
                {t('reset.cancel')}
              </Button>
            ) : (
              <Button type="primary" onClick={() => setStarting(true)} disabled={retired || result.loading || Boolean(result.error)}>
                {t('reset.start')}
              </Button>
            )}
          </Space>
        )
      }
    >
      {result.error && !(result.error instanceof ApiError && result.error.status === 404) ? (
        <Alert type="warning" showIcon title={t('reset.unavailable')} />
      ) : !reset ? (
        <Typography.Text type="secondary">{t('reset.none')}</Typography.Text>
      ) : (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('reset.state')}>
              <ResetStateTag reset={reset} t={t} />
            </Descriptions.Item>
            <Descriptions.Item label={t('reset.mode')}>{t(`reset.mode.${reset.mode}`)}</Descriptions.Item>
            <Descriptions.Item label={t('reason')}>{text(reset.reason)}</Descriptions.Item>
            <Descriptions.Item label={t('reset.startedBy')}>
              {actorName(reset.createdBy)}, {formatTime(reset.createdAt)}
            </Descriptions.Item>
            {reset.replacementDeviceId ? (
              <Descriptions.Item label={t('reset.replacement')}>{reset.replacementDeviceId}</Descriptions.Item>
            ) : null}
          </Descriptions>
          {cancelled ? (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('reset.cancelledBecause', { reason: recordReason(cancelled) ?? '—' })}
              description={`${actorName(cancelled.actor)}, ${formatTime(cancelled.at)}`}
            />
          ) : null}
          <Steps
            orientation="vertical"
            size="small"
            current={reset.nextStep ? RESET_STEPS.indexOf(reset.nextStep) : RESET_STEPS.length}
            items={RESET_STEPS.map((step) => {
              const last = lastOf(step);
              const due = open && reset.nextStep === step;
              const failed = last?.outcome === 'failed' || (due && refusal?.step === step);
              const why = (last?.outcome === 'failed' ? recordReason(last) : null) ?? (refusal?.step === step ? refusal.message : null);
              const done = last?.outcome === 'succeeded' && !due;
              return {
                key: step,
                title: t(`reset.step.${step}`),
                status: done ? 'finish' : due ? (failed ? 'error' : 'process') : 'wait',
                content: (
                  <Space orientation="vertical" size={4} data-testid={`reset-step-${step}`}>
                    {last ? (
                      <Typography.Text type="secondary">
                        {actorName(last.actor)}, {formatTime(last.at)}
                      </Typography.Text>
                    ) : null}
                    {step === 'backup' && reset.backup && !failed ? (
                      <Typography.Text type="secondary">
                        {t('reset.backupDone', { rows: reset.backup.rows, sha: reset.backup.sha256.slice(0, 12) })}
                      </Typography.Text>
                    ) : null}
                    {failed ? <Typography.Text type="danger">{t('reset.stepFailed', { reason: why ?? '—' })}</Typography.Text> : null}
                    {due && canManage ? (
                      <Button
                        type={step === 'closed' ? 'default' : 'primary'}
                        size="small"
                        loading={spinnerWhile(busy === step)}
                        disabled={busy !== null && busy !== step}
                        onClick={() => void perform(step)}
                      >
                        {t(`reset.do.${step}`)}
                      </Button>
                    ) : null}
                  </Space>
                ),
              };
            })}
          />
        </>
      )}
      <Modal
        open={starting}
        title={t('reset.start')}
        okText={t('ok')}
        cancelText={t('cancel')}
        forceRender
        onOk={() => void start().catch(() => undefined)}
        onCancel={() => setStarting(false)}
      >
        <Form form={form} layout="vertical" name="start-reset" initialValues={{ mode: 'rotate', reason: '' }}>
          <Form.Item name="mode" label={t('reset.mode')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: 'rotate', label: t('reset.mode.rotate') },
                { value: 'replace', label: t('reset.mode.replace') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('reason')}
            rules={[{ required: true, whitespace: true, message: t('reasonRequired') }, { max: REASON_MAX }]}
          >
            <Input.TextArea rows={3} maxLength={REASON_MAX} />
          </Form.Item>
        </Form>
      </Modal>
      <ReasonModal
        open={cancelling}
        title={t('reset.cancelTitle')}
        maxLength={REASON_MAX}
        onCancel={() => setCancelling(false)}
        onConfirm={cancel}
      />
      <DeviceSecretModal issued={issued} title={t('reset.secretTitle')} onClose={() => setIssued(null)} />
    </Card>
  );
}

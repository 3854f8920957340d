import { MaintenanceTarget } from '@lib/contracts';
import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { RenderedEmail } from '../templates/email.template';
import { renderNoticeEmail } from '../templates/notice-email';
import { RobotDoc } from '../templates/robot.template';
import { MaintenanceKind, MaintenanceWindowState } from './maintenance-notice.model';

const TARGETS: Record<MaintenanceTarget, Record<Language, string>> = {
  product: { 'zh-CN': '发票同步平台', en: 'the invoice sync service' },
  authority: { 'zh-CN': '税局系统', en: "the tax authority's systems" },
  baiwang: { 'zh-CN': '百望云', en: 'Baiwang' },
  nuonuo: { 'zh-CN': '诺诺', en: 'Nuonuo' },
};

interface Copy {
  prefix: string;
  title: Record<MaintenanceKind, (target: string) => string>;
  labels: { target: string; window: string; reason: string; taxpayers: string; all: string; cancelReason: string; action: string };
  action: Record<MaintenanceKind, string>;
  automatic: string;
}

const COPY: Record<Language, Copy> = {
  'zh-CN': {
    prefix: '【发票同步·维护】',
    title: {
      maintenance_announced: (t) => `${t}维护通知`,
      maintenance_changed: (t) => `${t}维护时间变更`,
      maintenance_reminder: (t) => `${t}维护即将开始`,
      maintenance_ended: (t) => `${t}维护已结束`,
      maintenance_cancelled: (t) => `${t}维护已取消`,
    },
    labels: { target: '维护对象', window: '维护时间（北京时间）', reason: '原因', taxpayers: '涉及纳税人', all: '全部', cancelReason: '取消原因', action: '需要做什么' },
    action: {
      maintenance_announced: '请提前完成开票、上传和清卡等相关工作；维护期间因此缺失的数据不会产生异常提醒。',
      maintenance_changed: '请按新的时间安排工作；此前通知的时间作废。',
      maintenance_reminder: '维护即将开始，请尽快完成需要在维护前处理的工作。',
      maintenance_ended: '维护已结束，系统会自动补齐数据；宽限期后仍缺失的数据会照常提醒。',
      maintenance_cancelled: '维护不再进行，请照常工作。',
    },
    automatic: '维护期间及结束后的宽限期内，不会因该维护造成的数据缺失而产生异常。',
  },
  en: {
    prefix: '[Invoice Sync · Maintenance] ',
    title: {
      maintenance_announced: (t) => `Maintenance of ${t} announced`,
      maintenance_changed: (t) => `Maintenance of ${t} rescheduled`,
      maintenance_reminder: (t) => `Maintenance of ${t} starts soon`,
      maintenance_ended: (t) => `Maintenance of ${t} has ended`,
      maintenance_cancelled: (t) => `Maintenance of ${t} cancelled`,
    },
    labels: { target: 'Maintenance of', window: 'When (Beijing time)', reason: 'Reason', taxpayers: 'Taxpayers', all: 'all', cancelReason: 'Why cancelled', action: 'What to do' },
    action: {
      maintenance_announced: 'Finish invoicing, uploads and clear-card work that cannot wait beforehand; data missing because of the maintenance raises no finding.',
      maintenance_changed: 'Plan for the new times; the times announced before no longer apply.',
      maintenance_reminder: 'The maintenance starts soon: finish what must be done before it.',
      maintenance_ended: 'The maintenance is over and data catches up by itself; what is still missing after the grace period is reported as usual.',
      maintenance_cancelled: 'The maintenance will not take place: work as usual.',
    },
    automatic: 'During the window and a grace period after it, data missing because of it raises no finding.',
  },
};

const period = (w: MaintenanceWindowState) => `${formatShanghai(new Date(w.startsAt))} – ${formatShanghai(new Date(w.endsAt))}`;

function fields(kind: MaintenanceKind, w: MaintenanceWindowState, language: Language): [string, string][] {
  const c = COPY[language];
  return [
    [c.labels.target, TARGETS[w.target][language]],
    [c.labels.window, period(w)],
    [c.labels.reason, w.reason],
    [c.labels.taxpayers, w.taxNos ? w.taxNos.join(', ') : c.labels.all],
    ...(kind === 'maintenance_cancelled' && w.cancelReason ? [[c.labels.cancelReason, w.cancelReason] as [string, string]] : []),
  ];
}

const titleOf = (kind: MaintenanceKind, w: MaintenanceWindowState, language: Language) =>
  COPY[language].title[kind](TARGETS[w.target][language]);

export function renderMaintenanceEmail(kind: MaintenanceKind, w: MaintenanceWindowState, language: Language): RenderedEmail {
  const c = COPY[language];
  const title = titleOf(kind, w, language);
  return renderNoticeEmail({
    language,
    subject: `${c.prefix}${title} ${period(w)}`,
    title,
    rows: fields(kind, w, language),
    automatic: kind === 'maintenance_cancelled' ? undefined : c.automatic,
    action: c.action[kind],
  });
}

/** The SMS summary: title and times (the template's `summary`), shortened by the SMS renderer when it must be. */
export function maintenanceSmsSummary(kind: MaintenanceKind, w: MaintenanceWindowState, language: Language): string {
  return `${titleOf(kind, w, language)} ${period(w)}`;
}

export function robotMaintenanceDoc(kind: MaintenanceKind, w: MaintenanceWindowState, language: Language): RobotDoc {
  const c = COPY[language];
  return {
    title: `${c.prefix}${titleOf(kind, w, language)}`,
    fields: [...fields(kind, w, language), [c.labels.action, c.action[kind]]],
    lines: [],
  };
}

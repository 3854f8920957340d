import { pageTexts } from '../i18n/page-texts';

/** The maintenance page's words (docs/maintenance.md), kept beside the page: only its navigation link is shared. */
const en = {
  title: 'Maintenance windows',
  announce: 'Announce a window',
  announceTitle: 'Announce a maintenance window',
  change: 'Change',
  changeTitle: 'Change this maintenance window',
  cancel: 'Cancel window',
  cancelTitle: 'Cancel this maintenance window',
  announced: 'Window announced: recipients are told',
  changed: 'Window changed: recipients are told',
  cancelled: 'Window cancelled: recipients are told',
  target: 'Target',
  startsAt: 'Starts (Beijing time)',
  endsAt: 'Ends (Beijing time)',
  reason: 'Reason',
  taxNos: 'Taxpayers',
  taxNosHelp: 'Tax numbers; leave empty for every taxpayer',
  allTaxpayers: 'All taxpayers',
  note: 'Note (why it changes)',
  state: 'State',
  revision: 'Revision',
  updatedBy: 'Last changed by',
  actions: 'Actions',
  allTargets: 'All targets',
  required: 'Required',
  endAfterStart: 'The end must be after the start',
  cancelReason: 'cancelled: {reason}',
  'target.product': 'Our product',
  'target.authority': 'Tax authority',
  'target.baiwang': 'Baiwang',
  'target.nuonuo': 'Nuonuo',
  'phase.upcoming': 'Upcoming',
  'phase.in-progress': 'In progress',
  'phase.ended': 'Ended',
  'phase.cancelled': 'Cancelled',
};

export type MaintenanceText = keyof typeof en;

const zh: Record<MaintenanceText, string> = {
  title: '维护窗口',
  announce: '发布维护窗口',
  announceTitle: '发布维护窗口',
  change: '修改',
  changeTitle: '修改维护窗口',
  cancel: '取消窗口',
  cancelTitle: '取消维护窗口',
  announced: '已发布，将通知相关人员',
  changed: '已修改，将通知相关人员',
  cancelled: '已取消，将通知相关人员',
  target: '维护对象',
  startsAt: '开始（北京时间）',
  endsAt: '结束（北京时间）',
  reason: '原因',
  taxNos: '纳税人',
  taxNosHelp: '纳税人识别号；留空表示全部纳税人',
  allTaxpayers: '全部纳税人',
  note: '修改说明',
  state: '状态',
  revision: '版本',
  updatedBy: '最后修改人',
  actions: '操作',
  allTargets: '全部对象',
  required: '必填',
  endAfterStart: '结束时间须晚于开始时间',
  cancelReason: '已取消：{reason}',
  'target.product': '本系统',
  'target.authority': '税局',
  'target.baiwang': '百望云',
  'target.nuonuo': '诺诺',
  'phase.upcoming': '即将开始',
  'phase.in-progress': '进行中',
  'phase.ended': '已结束',
  'phase.cancelled': '已取消',
};

export const maintenanceTexts = pageTexts(en, zh);

export type MaintenanceTexts = ReturnType<typeof maintenanceTexts>;

/** Whose maintenance a window is (reconcile's MAINTENANCE_TARGETS). */
export const MAINTENANCE_TARGETS = ['product', 'authority', 'baiwang', 'nuonuo'] as const;

export type MaintenancePhase = 'upcoming' | 'in-progress' | 'ended' | 'cancelled';

/** What a window is at `now`: reconcile stores scheduled or cancelled; the rest is the clock against its times. */
export function phaseOf(w: { state: string; startsAt: string; endsAt: string }, now: Date): MaintenancePhase {
  if (w.state === 'cancelled') return 'cancelled';
  const at = now.getTime();
  if (at >= new Date(w.endsAt).getTime()) return 'ended';
  return at >= new Date(w.startsAt).getTime() ? 'in-progress' : 'upcoming';
}

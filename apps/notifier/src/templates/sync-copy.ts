import { SyncTarget } from '@lib/contracts';
import { Language } from '../routing/routing.model';
import { SyncProblemOutcome } from '../sync/sync-problem.model';

export interface SyncCopy {
  title: (target: string) => string;
  explanation: (target: string, attempts: number) => string;
  automatic: string;
  action: string;
}

/** Chinese first; English for recipients who read English. */
const TARGETS: Record<SyncTarget, Record<Language, string>> = {
  authority: { 'zh-CN': '税局', en: 'the tax authority' },
  baiwang: { 'zh-CN': '百望云', en: 'Baiwang' },
  nuonuo: { 'zh-CN': '诺诺', en: 'Nuonuo' },
};

const OUTCOMES: Record<SyncProblemOutcome, Record<Language, SyncCopy>> = {
  dead: {
    'zh-CN': {
      title: (t) => `发票未能送达${t}`,
      explanation: (t, n) => `同步服务向${t}上传该发票${n}次均未成功，已停止自动重试。`,
      automatic: '系统已按退避策略自动重试，每次重发前先查询目标系统，不会重复上传。',
      action: '请根据错误信息排查（网络、凭证、目标平台状态），处理后在对账服务中发起补传。',
    },
    en: {
      title: (t) => `Invoice could not be delivered to ${t}`,
      explanation: (t, n) =>
        `Sync tried ${n} times to deliver this invoice to ${t} and has stopped retrying.`,
      automatic:
        'Sync retried with backoff, querying the target before each resend so nothing is uploaded twice.',
      action:
        'Check the error (network, credentials, target status), then ask reconcile for a re-upload once it is fixed.',
    },
  },
  rejected: {
    'zh-CN': {
      title: (t) => `${t}拒绝接收发票`,
      explanation: (t) => `${t}拒绝了该发票（永久性错误），重试不会成功。`,
      automatic: '系统未再重试，并保留了目标系统返回的错误信息。',
      action: '请按错误信息更正发票数据（必要时红冲后重新开具），再重新上传。',
    },
    en: {
      title: (t) => `Invoice refused by ${t}`,
      explanation: (t) => `The invoice was refused by ${t} for good; retrying will not help.`,
      automatic: 'Sync did not retry and kept the error the target returned.',
      action:
        'Correct the invoice as the error says (a red-letter reversal and re-issue if needed), then upload it again.',
    },
  },
};

export const SYNC_LABELS = {
  'zh-CN': { target: '目标系统', error: '错误', requestId: '请求编号', attempts: '尝试次数', at: '时间' },
  en: { target: 'Target', error: 'Error', requestId: 'Request id', attempts: 'Attempts', at: 'Time' },
} as const satisfies Record<Language, unknown>;

/** A target registered with sync after this table was written is shown by its name. */
export const targetLabel = (target: string, language: Language): string =>
  (TARGETS as Record<string, Record<Language, string> | undefined>)[target]?.[language] ?? target;
export const syncCopy = (outcome: SyncProblemOutcome, language: Language): SyncCopy =>
  OUTCOMES[outcome][language];

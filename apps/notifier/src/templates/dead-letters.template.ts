import { DeadLetterArrival } from '../dead-letters/dead-letter.model';
import { DeadLetterSummary } from '../dead-letters/dead-letter.repository';
import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { RenderedEmail } from './email.template';
import { renderNoticeEmail } from './notice-email';

const COPY = {
  'zh-CN': {
    subject: (n: number, at: string) => `【发票同步·运维】${n}条消息进入死信队列 ${at}`,
    title: (n: number) => `${n}条消息无法处理，已进入死信队列`,
    intro: (from: string, to: string) => `${from} 至 ${to}（北京时间）期间，以下主题收到了无法处理的消息。`,
    total: '总数',
    groups: '按主题和错误代码',
    samples: (n: number) => `最早的${n}条`,
    count: (n: number) => `${n}条`,
    messageId: '消息ID',
    action:
      '请查看对应消费服务的日志和错误原因，修复后从死信主题重新投递（重放）这些消息；确认无需处理的可以忽略。',
    sms: (n: number, topics: string) => `${n}条消息进入死信队列（${topics}），请运维人员检查`,
  },
  en: {
    subject: (n: number, at: string) => `[Invoice Sync · Ops] ${n} message(s) dead-lettered ${at}`,
    title: (n: number) => `${n} message(s) could not be processed and went to a dead-letter topic`,
    intro: (from: string, to: string) =>
      `Between ${from} and ${to} (Beijing time), these topics received messages that could not be processed.`,
    total: 'Total',
    groups: 'By topic and error code',
    samples: (n: number) => `The first ${n}`,
    count: (n: number) => `${n}`,
    messageId: 'message id',
    action:
      'Read the failing consumer’s logs and the error, fix the cause, then replay these messages from the dead-letter topic (or confirm they can be dropped).',
    sms: (n: number, topics: string) => `${n} message(s) dead-lettered (${topics}); an operator must look`,
  },
} as const satisfies Record<Language, unknown>;

function sample(a: DeadLetterArrival, language: Language): string {
  const source = a.sourceTopic
    ? ` · ${a.sourceTopic}[${a.sourcePartition ?? '?'}]@${a.sourceOffset ?? '?'}`
    : '';
  const reason = a.errorMessage ? ` · ${a.errorMessage.slice(0, 200)}` : '';
  return `${a.dlqTopic} · ${a.errorCode} · ${COPY[language].messageId} ${a.eventId ?? '-'}${a.eventType ? ` (${a.eventType})` : ''}${source}${reason}`;
}

/** One window of dead-letter arrivals, for one reader: counts by topic and code, the first few, what to do. */
export function renderDeadLettersEmail(
  summary: DeadLetterSummary,
  window: { start: Date; end: Date },
  language: Language,
): RenderedEmail {
  const c = COPY[language];
  return renderNoticeEmail({
    language,
    subject: c.subject(summary.total, formatShanghai(window.start)),
    title: c.title(summary.total),
    intro: c.intro(formatShanghai(window.start), formatShanghai(window.end)),
    rows: [[c.total, String(summary.total)]],
    lists: [
      {
        heading: c.groups,
        items: summary.groups.map((g) => `${g.dlqTopic} ${g.errorCode}: ${c.count(g.count)}`),
      },
      { heading: c.samples(summary.samples.length), items: summary.samples.map((a) => sample(a, language)) },
    ],
    action: c.action,
  });
}

export function deadLettersSmsSummary(summary: DeadLetterSummary, language: Language): string {
  const topics = [...new Set(summary.groups.map((g) => g.dlqTopic))].join(', ');
  return COPY[language].sms(summary.total, topics);
}

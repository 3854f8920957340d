import { FindingChanged } from '@lib/contracts';
import { contentLimit, RobotChannel, RobotFormat, truncateToBytes, utf8Bytes } from '@lib/notifications';
import { DeadLetterSummary } from '../dead-letters/dead-letter.repository';
import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { SyncProblem, syncSeverity } from '../sync/sync-problem.model';
import { deadLettersSmsSummary } from './dead-letters.template';
import { severityLabel, typeCopy } from './finding-copy';
import { findingText } from './finding-text';
import { LABELS } from './labels';
import { SYNC_LABELS, syncCopy, targetLabel } from './sync-copy';
import { testSmsSummary } from './test.template';

/**
 * What a group-robot message says, before it is written as markdown or text: a title, labelled fields, free
 * lines, and a link. Group chats are read at a glance: one screen, the action first after the facts.
 */
export interface RobotDoc {
  title: string;
  fields: Array<[label: string, value: string]>;
  lines: string[];
  link?: { label: string; url: string };
}

export interface RenderedRobot {
  format: RobotFormat;
  title: string;
  text: string;
}

const COPY = {
  'zh-CN': {
    digestItem: (i: number, title: string, subject: string) => `${i}. ${title} ${subject}`,
    more: (n: number) => `……另有${n}条，请在控制台查看`,
    deadLetters: '死信队列',
    test: '测试消息',
    testBody: '这是一条测试消息：本群机器人可以正常接收发票同步的通知。',
    time: '时间',
  },
  en: {
    digestItem: (i: number, title: string, subject: string) => `${i}. ${title} ${subject}`,
    more: (n: number) => `…and ${n} more in the console`,
    deadLetters: 'Dead letters',
    test: 'Test message',
    testBody: 'This is a test message: this group robot receives Invoice Sync notifications.',
    time: 'Time',
  },
} as const satisfies Record<Language, unknown>;

/** Digests list at most this many findings one by one (all are counted). */
const DIGEST_ITEMS = 30;

export function robotFindingDoc(
  finding: FindingChanged,
  language: Language,
  link: string,
  now: Date,
  escalationLevel?: number,
): RobotDoc {
  const l = LABELS[language];
  const copy = typeCopy(finding.type, language);
  const said = findingText(finding, language, now);
  const escalated = escalationLevel ? `[${l.escalated(escalationLevel)}] ` : '';
  const fields: RobotDoc['fields'] = [[l.explanation, said.explanation]];
  if (said.invoice) fields.push([l.invoice, said.invoice]);
  if (said.device) fields.push([l.device, said.device]);
  fields.push([l.taxpayer, finding.taxNo]);
  if (finding.branchId) fields.push([l.branch, finding.branchId]);
  fields.push([l.automatic, copy.automatic], [l.action, copy.action]);
  return {
    title: `${escalated}【${severityLabel(finding.severity, language)}】${copy.title} ${said.subject}`,
    fields,
    lines: escalationLevel ? [l.escalatedNote] : [],
    link: { label: l.link, url: link },
  };
}

export function robotDigestDoc(
  findings: readonly FindingChanged[],
  language: Language,
  linkOf: (id: string) => string,
  at: Date,
): RobotDoc {
  const l = LABELS[language];
  const c = COPY[language];
  const shown = findings.slice(0, DIGEST_ITEMS);
  const lines = shown.map((f, i) => {
    const item = c.digestItem(i + 1, typeCopy(f.type, language).title, findingText(f, language, at).subject);
    return `${item} ${linkOf(f.findingId)}`;
  });
  if (findings.length > shown.length) lines.push(c.more(findings.length - shown.length));
  return {
    title: `${l.digestSubject(findings.length)} ${formatShanghai(at)}`,
    fields: [],
    lines: [l.digestIntro(findings.length), ...lines],
  };
}

export function robotSyncDoc(problem: SyncProblem, language: Language): RobotDoc {
  const r = problem.result;
  const l = LABELS[language];
  const s = SYNC_LABELS[language];
  const copy = syncCopy(r.outcome, language);
  const target = targetLabel(r.target, language);
  const error = r.errorMessage ? `${r.errorCode ?? ''}: ${r.errorMessage}` : (r.errorCode ?? '-');
  return {
    title: `【${severityLabel(syncSeverity(r.outcome), language)}】${copy.title(target)} ${r.invoiceKey}`,
    fields: [
      [l.explanation, copy.explanation(target, r.attempts)],
      [l.taxpayer, r.taxNo],
      [s.error, error],
      [s.requestId, r.requestId],
      [s.at, formatShanghai(new Date(r.at))],
      [l.action, copy.action],
    ],
    lines: [],
  };
}

export function robotDeadLettersDoc(
  summary: DeadLetterSummary,
  window: { start: Date; end: Date },
  language: Language,
): RobotDoc {
  const c = COPY[language];
  return {
    title: `【${c.deadLetters}】${deadLettersSmsSummary(summary, language)}`,
    fields: [[c.time, `${formatShanghai(window.start)} – ${formatShanghai(window.end)}`]],
    lines: summary.groups.map((g) => `${g.dlqTopic} · ${g.errorCode} · ${g.count}`),
  };
}

export function robotTestDoc(language: Language, at: Date): RobotDoc {
  const c = COPY[language];
  return {
    title: `【${LABELS[language].brand}】${c.test}`,
    fields: [[c.time, formatShanghai(at)]],
    lines: [c.testBody, testSmsSummary(language)],
  };
}

/** Markdown that all three platforms render (headings, bold, links, quotes): no tables, no colours. */
const escapeMarkdown = (value: string): string => value.replace(/([*_`[\]<>])/g, '\\$1');

/** The longest one field value or free line may be, so that no single one crowds out the others. */
const FIELD_BYTES = 600;
const LINE_BYTES = 300;

/**
 * Writes a doc for one robot platform, as markdown or plain text, within the platform's size limit. Each field and
 * line is shortened to its share first; if the whole still does not fit, the body is cut (ending with `…`), never
 * the title or the link, which is how the reader gets to act.
 */
export function renderRobot(doc: RobotDoc, channel: RobotChannel, format: RobotFormat): RenderedRobot {
  const limit = contentLimit(channel, format);
  const markdown = format === 'markdown';
  const md = (value: string, max: number) => escapeMarkdown(truncateToBytes(value, max));
  const title = truncateToBytes(doc.title, 256);
  const head = markdown ? `### ${escapeMarkdown(title)}` : title;
  const fields = doc.fields.map(([label, value]) =>
    markdown
      ? `**${escapeMarkdown(label)}**：${md(value, FIELD_BYTES)}`
      : `${label}：${truncateToBytes(value, FIELD_BYTES)}`,
  );
  const lines = doc.lines.map((line) =>
    markdown ? `> ${md(line, LINE_BYTES)}` : truncateToBytes(line, LINE_BYTES),
  );
  const link = doc.link
    ? markdown
      ? `[${escapeMarkdown(doc.link.label)}](${doc.link.url})`
      : `${doc.link.label}：${doc.link.url}`
    : undefined;
  const tail = link ? `\n\n${link}` : '';
  const body = [...fields, ...(lines.length && fields.length ? [''] : []), ...lines].join('\n');
  const budget = limit - utf8Bytes(`${head}\n\n`) - utf8Bytes(tail);
  return { format, title, text: `${head}\n\n${truncateToBytes(body, Math.max(0, budget))}${tail}` };
}

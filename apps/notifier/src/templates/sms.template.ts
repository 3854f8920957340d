import { FindingChanged } from '@lib/contracts';
import { smsCapacity, smsLength, smsSegments, truncateSms } from '@lib/notifications';
import { Language } from '../routing/routing.model';
import { severityLabel, typeCopy } from './finding-copy';
import { findingText } from './finding-text';
import { LABELS } from './labels';
import { testSmsSummary } from './test.template';

export interface SmsTemplateSpec {
  code: string;
  /** The registered content with `${name}` placeholders, to count what the handset will receive. */
  content: string;
}

export interface RenderedSms {
  templateCode: string;
  templateParams: Record<string, string>;
  /** The text as delivered (`【sign】` + filled template). */
  preview: string;
  segments: number;
}

function fill(content: string, params: Record<string, string>): string {
  return content.replace(/\$\{(\w+)\}/g, (_m, name: string) => params[name] ?? '');
}

/**
 * An alert through the provider's template (`count`, `summary`). The summary is shortened so the whole
 * message, signature included, fits in `maxSegments` (70 characters alone, 67 per part when longer).
 */
export function renderFindingSms(
  finding: FindingChanged,
  language: Language,
  template: SmsTemplateSpec,
  signName: string,
  maxSegments: number,
  escalationLevel?: number,
  now: Date = new Date(finding.updatedAt),
): RenderedSms {
  const copy = typeCopy(finding.type, language);
  const separator = language === 'zh-CN' ? '，' : ', ';
  const escalation = escalationLevel ? `[${LABELS[language].escalated(escalationLevel)}]` : '';
  const full = `${escalation}${severityLabel(finding.severity, language)}${separator}${copy.title} ${findingText(finding, language, now).subject}${separator}${copy.action}`;
  return renderSummarySms(full, template, signName, maxSegments);
}

/** Any alert's one-line summary through the alert template, shortened to fit `maxSegments`. */
export function renderSummarySms(
  full: string,
  template: SmsTemplateSpec,
  signName: string,
  maxSegments: number,
  count = 1,
): RenderedSms {
  const base = { count: String(count), summary: '' };
  const overhead = smsLength(`【${signName}】${fill(template.content, base)}`);
  const summary = truncateSms(full, smsCapacity(maxSegments) - overhead);
  const templateParams = { count: String(count), summary };
  const preview = `【${signName}】${fill(template.content, templateParams)}`;
  return { templateCode: template.code, templateParams, preview, segments: smsSegments(preview) };
}

/** The test-send endpoint's SMS through the same template. */
export function renderTestSms(language: Language, template: SmsTemplateSpec, signName: string): RenderedSms {
  const templateParams = { count: '0', summary: testSmsSummary(language) };
  const preview = `【${signName}】${fill(template.content, templateParams)}`;
  return { templateCode: template.code, templateParams, preview, segments: smsSegments(preview) };
}

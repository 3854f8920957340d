import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { RenderedEmail } from './email.template';
import { escapeHtml } from './html-escape';

const COPY: Record<Language, { subject: string; body: string }> = {
  'zh-CN': { subject: '【发票同步】测试消息', body: '这是一条测试消息：您的通知设置可以正常接收邮件。' },
  en: {
    subject: '[Invoice Sync] Test message',
    body: 'This is a test message: your notification settings can receive email.',
  },
};

/** The test-send endpoint's email. */
export function renderTestEmail(language: Language, at: Date): RenderedEmail {
  const copy = COPY[language];
  const text = `${copy.body}\n${formatShanghai(at)} (Asia/Shanghai)`;
  return {
    subject: copy.subject,
    text,
    html: `<p>${escapeHtml(copy.body)}</p><p>${escapeHtml(formatShanghai(at))}</p>`,
  };
}

export const testSmsSummary = (language: Language): string =>
  language === 'zh-CN' ? '测试消息，无需处理' : 'test message, nothing to do';

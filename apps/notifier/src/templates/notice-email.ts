import { Language } from '../routing/routing.model';
import { htmlPage, RenderedEmail } from './email.template';
import { escapeHtml } from './html-escape';
import { LABELS } from './labels';

export interface NoticeEmailInput {
  language: Language;
  subject: string;
  title: string;
  intro?: string;
  rows: [label: string, value: string][];
  /** Further numbered lists (counts, examples), each under its heading. */
  lists?: { heading: string; items: string[] }[];
  automatic?: string;
  action: string;
}

/** The layout of every alert that is not a finding: title, details, what was done, what to do. All text escaped. */
export function renderNoticeEmail(input: NoticeEmailInput): RenderedEmail {
  const l = LABELS[input.language];
  const lists = input.lists ?? [];
  const text = [
    input.title,
    ...(input.intro ? ['', input.intro] : []),
    '',
    ...input.rows.map(([k, v]) => `${k}: ${v}`),
    ...lists.flatMap((list) => ['', `${list.heading}:`, ...list.items.map((item, i) => `${i + 1}. ${item}`)]),
    '',
    ...(input.automatic ? [`${l.automatic}: ${input.automatic}`] : []),
    `${l.action}: ${input.action}`,
    '',
    l.footer,
  ].join('\n');
  const html = htmlPage(
    input.language,
    `<h2>${escapeHtml(input.title)}</h2>` +
      (input.intro ? `<p>${escapeHtml(input.intro)}</p>` : '') +
      `<table cellpadding="4">${input.rows.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` +
      lists
        .map(
          (list) =>
            `<p><strong>${escapeHtml(list.heading)}</strong></p><ol>${list.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ol>`,
        )
        .join('') +
      (input.automatic
        ? `<p><strong>${escapeHtml(l.automatic)}:</strong> ${escapeHtml(input.automatic)}</p>`
        : '') +
      `<p><strong>${escapeHtml(l.action)}:</strong> ${escapeHtml(input.action)}</p>` +
      `<p style="color:#888">${escapeHtml(l.footer)}</p>`,
  );
  return { subject: input.subject, text, html };
}

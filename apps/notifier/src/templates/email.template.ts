import { FindingChanged } from '@lib/contracts';
import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { severityLabel, stateLabel, typeCopy } from './finding-copy';
import { escapeHtml } from './html-escape';
import { findingText } from './finding-text';
import { LABELS } from './labels';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface FindingEmailInput {
  finding: FindingChanged;
  language: Language;
  link: string;
  /** Set for an escalation: the level now told. */
  escalationLevel?: number;
  /** Dates in this year are written without it; default: when the finding last changed. */
  now?: Date;
}

type Row = [label: string, value: string];

function rows(finding: FindingChanged, language: Language, now: Date): Row[] {
  const l = LABELS[language];
  const said = findingText(finding, language, now);
  const out: Row[] = [[l.explanation, said.explanation]];
  if (said.invoice) out.push([l.invoice, said.invoice]);
  if (said.device) out.push([l.device, said.device]);
  out.push([l.taxpayer, finding.taxNo]);
  if (finding.branchId) out.push([l.branch, finding.branchId]);
  out.push([l.period, finding.period], [l.state, stateLabel(finding.state, language)]);
  return out;
}

export const htmlPage = (lang: Language, body: string): string =>
  `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"></head>` +
  `<body style="font-family:sans-serif;font-size:14px;color:#222">${body}</body></html>`;

/** One finding, for one reader: why, about what, what was done, what to do, and the link. All text escaped. */
export function renderFindingEmail(input: FindingEmailInput): RenderedEmail {
  const { finding, language, link, escalationLevel } = input;
  const now = input.now ?? new Date(finding.updatedAt);
  const l = LABELS[language];
  const copy = typeCopy(finding.type, language);
  const severity = severityLabel(finding.severity, language);
  const escalation = escalationLevel ? ` · ${l.escalated(escalationLevel)}` : '';
  const subject = `【${l.brand}·${severity}${escalation}】${copy.title} ${findingText(finding, language, now).subject}`;
  const details = rows(finding, language, now);
  const text = [
    `${copy.title} (${severity})`,
    ...(escalationLevel ? [l.escalatedNote] : []),
    '',
    ...details.map(([k, v]) => `${k}: ${v}`),
    '',
    `${l.automatic}: ${copy.automatic}`,
    `${l.action}: ${copy.action}`,
    '',
    `${l.link}: ${link}`,
    '',
    l.footer,
  ].join('\n');
  const html = htmlPage(
    language,
    `<h2>${escapeHtml(copy.title)} <small>(${escapeHtml(severity)})</small></h2>` +
      (escalationLevel ? `<p><strong>${escapeHtml(l.escalatedNote)}</strong></p>` : '') +
      `<table cellpadding="4">${details.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>` +
      `<p><strong>${escapeHtml(l.automatic)}:</strong> ${escapeHtml(copy.automatic)}</p>` +
      `<p><strong>${escapeHtml(l.action)}:</strong> ${escapeHtml(copy.action)}</p>` +
      `<p><a href="${escapeHtml(link)}">${escapeHtml(l.link)}</a></p>` +
      `<p style="color:#888">${escapeHtml(l.footer)}</p>`,
  );
  return { subject, text, html };
}

/** Low-severity findings of one period, for one reader, in one email. */
export function renderDigestEmail(
  findings: readonly FindingChanged[],
  language: Language,
  linkOf: (id: string) => string,
  at: Date,
): RenderedEmail {
  const l = LABELS[language];
  const subject = `${l.digestSubject(findings.length)} ${formatShanghai(at)}`;
  const line = (f: FindingChanged) => {
    const said = findingText(f, language, at);
    return `${typeCopy(f.type, language).title} ${said.subject}: ${said.explanation}`;
  };
  const text = [
    l.digestIntro(findings.length),
    '',
    ...findings.map(
      (f, i) =>
        `${i + 1}. ${line(f)}\n   ${l.action}: ${typeCopy(f.type, language).action}\n   ${linkOf(f.findingId)}`,
    ),
    '',
    l.footer,
  ].join('\n');
  const html = htmlPage(
    language,
    `<p>${escapeHtml(l.digestIntro(findings.length))}</p><ol>` +
      findings
        .map(
          (f) =>
            `<li><p>${escapeHtml(line(f))}</p><p>${escapeHtml(l.action)}: ${escapeHtml(typeCopy(f.type, language).action)}</p>` +
            `<p><a href="${escapeHtml(linkOf(f.findingId))}">${escapeHtml(l.link)}</a></p></li>`,
        )
        .join('') +
      `</ol><p style="color:#888">${escapeHtml(l.footer)}</p>`,
  );
  return { subject, text, html };
}

import { Language } from '../routing/routing.model';
import { formatShanghai } from '../schedule/shanghai-time';
import { SyncProblem, syncSeverity } from '../sync/sync-problem.model';
import { RenderedEmail } from './email.template';
import { severityLabel } from './finding-copy';
import { LABELS } from './labels';
import { renderNoticeEmail } from './notice-email';
import { SYNC_LABELS, syncCopy, targetLabel } from './sync-copy';

/** A dead or rejected delivery, for one reader: which invoice, where, the error, and what to do. */
export function renderSyncEmail(problem: SyncProblem, language: Language): RenderedEmail {
  const r = problem.result;
  const l = LABELS[language];
  const s = SYNC_LABELS[language];
  const copy = syncCopy(r.outcome, language);
  const target = targetLabel(r.target, language);
  const severity = severityLabel(syncSeverity(r.outcome), language);
  const error = r.errorMessage ? `${r.errorCode ?? ''}: ${r.errorMessage}` : (r.errorCode ?? '-');
  return renderNoticeEmail({
    language,
    subject: `【${l.brand}·${severity}】${copy.title(target)} ${r.invoiceKey}`,
    title: `${copy.title(target)} (${severity})`,
    rows: [
      [l.explanation, copy.explanation(target, r.attempts)],
      [l.invoice, r.invoiceKey],
      [s.target, target],
      [l.taxpayer, r.taxNo],
      [s.error, error],
      [s.requestId, r.requestId],
      [s.attempts, String(r.attempts)],
      [s.at, formatShanghai(new Date(r.at))],
    ],
    automatic: copy.automatic,
    action: copy.action,
  });
}

/** The SMS summary: severity, what happened to which invoice, what to do. */
export function syncSmsSummary(problem: SyncProblem, language: Language): string {
  const r = problem.result;
  const copy = syncCopy(r.outcome, language);
  const separator = language === 'zh-CN' ? '，' : ', ';
  const severity = severityLabel(syncSeverity(r.outcome), language);
  return `${severity}${separator}${copy.title(targetLabel(r.target, language))} ${r.invoiceKey}${separator}${copy.action}`;
}

import { maskEmail, maskPhone } from '@lib/common';
import { NotificationRow } from '../notifications/notification.model';
import { Recipient, RoutingRule } from '../routing/routing.model';

export function recipientView(r: Recipient) {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    mobile: r.mobile,
    robots: { wecom: null, dingtalk: null, feishu: null, ...r.robots },
    language: r.language,
    quietHours: r.quietHours,
    active: r.active,
    scopes: r.scopes,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function ruleView(r: RoutingRule) {
  return { ...r, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString() };
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** One delivery log entry. The address is masked: the log is read more widely than the recipient list. */
export function notificationView(n: NotificationRow) {
  return {
    id: String(n.id),
    kind: n.kind,
    channel: n.channel,
    status: n.status,
    findingId: n.finding_id,
    recipientId: n.recipient_id,
    // A robot's destination is its configured name, not a secret.
    destination:
      n.channel === 'email'
        ? maskEmail(n.destination)
        : n.channel === 'sms'
          ? maskPhone(n.destination)
          : n.destination,
    language: n.language,
    severity: n.severity,
    level: n.level,
    messageRef: n.message_ref,
    provider: n.provider,
    providerMessageId: n.provider_message_id,
    attempts: n.attempts,
    segments: n.segments,
    digestId: n.digest_id ? String(n.digest_id) : null,
    lastError: n.last_error_code ? { code: n.last_error_code, message: n.last_error } : null,
    dueAt: iso(n.due_at),
    createdAt: iso(n.created_at),
    updatedAt: iso(n.updated_at),
    sentAt: iso(n.sent_at),
  };
}

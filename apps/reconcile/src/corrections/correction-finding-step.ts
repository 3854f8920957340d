import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FindingState } from '@lib/contracts';
import { Actor, AuditLog } from '@lib/platform';
import { FindingEventsPublisher } from '../findings/finding-events.publisher';
import { FindingRow } from '../findings/finding.model';
import { FindingsRepository } from '../findings/findings.repository';
import { PendingOutbox } from '../findings/pending-outbox';

/** The audit entry of a step: what was done to which correction, and its detail. */
export interface CorrectionAudit {
  action: string;
  id: string;
  detail: Record<string, unknown>;
}

/**
 * The finding's part of a proposal or a decision, in the step's transaction: its state and explanation, its history,
 * the audit entry, and its event (enqueued last) when the state changed, so it is announced like any other finding.
 */
@Injectable()
export class CorrectionFindingStep {
  constructor(
    private readonly findings: FindingsRepository,
    private readonly events: FindingEventsPublisher,
    private readonly audit: AuditLog,
  ) {}

  async apply(
    m: EntityManager,
    finding: FindingRow,
    state: FindingState,
    explanation: string,
    action: string,
    by: Actor,
    reason: string | null,
    now: Date,
    audit: CorrectionAudit,
  ): Promise<void> {
    await this.findings.setState(m, finding.id, state, explanation, now);
    await this.findings.appendHistory(
      m,
      [
        {
          findingId: finding.id,
          fromState: finding.state,
          toState: state,
          action,
          actor: by,
          reason,
          runId: null,
        },
      ],
      now,
    );
    await this.audit.record(m, {
      at: now,
      actor: by,
      action: audit.action,
      targetType: 'correction',
      targetId: audit.id,
      taxNo: finding.taxNo,
      branchId: finding.branchId,
      reason: reason ?? undefined,
      detail: audit.detail,
    });
    if (state !== finding.state) {
      const outbox = new PendingOutbox();
      outbox.add(
        this.events.messages(
          [{ finding: { ...finding, state, explanation, updatedAt: now }, previousState: finding.state }],
          now,
        ),
      );
      await outbox.flush(m);
    }
  }
}

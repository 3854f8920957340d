import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK } from '@lib/common';
import { correctionEnded } from '@lib/contracts';
import { actorOf, AuditLog, Principal } from '@lib/platform';
import { FindingsQueryRepository } from '../findings/findings-query.repository';
import { FindingsRepository } from '../findings/findings.repository';
import { ReconcileErrorCode } from '../reconcile-error-codes';
import { CorrectionChecks } from './correction-checks';
import { CorrectionView } from './correction.model';
import { CorrectionsQueryService } from './corrections-query.service';
import { CorrectionsRepository } from './corrections.repository';

/** The corrected re-issue of a correction that re-issues the invoice, named by a person (docs/corrections.md, "Re-issue"). */
@Injectable()
export class CorrectionReissueService {
  private readonly logger = new Logger('Corrections');

  constructor(
    private readonly dataSource: DataSource,
    private readonly corrections: CorrectionsRepository,
    private readonly findingsQuery: FindingsQueryRepository,
    private readonly findings: FindingsRepository,
    private readonly checks: CorrectionChecks,
    private readonly views: CorrectionsQueryService,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A person names the corrected re-issue of a correction that re-issues the invoice (docs/corrections.md, "Re-issue"):
   * an invoice of our ledger, of the same taxpayer, blue and in force, other than the original. The tracker completes
   * the correction, and resolves its finding, once the red invoice and this re-issue are both at the authority. A later
   * call names another (the history keeps both). 400 CORRECTION_NOT_REISSUE for a correction that does not re-issue,
   * 409 CORRECTION_ENDED once it is over, 400 CORRECTION_REISSUE_INVALID for an invoice that cannot be the re-issue.
   */
  async linkReissue(
    id: string,
    invoiceKey: string,
    note: string | null,
    principal: Principal,
  ): Promise<CorrectionView> {
    const by = actorOf(principal);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const c = await this.views.lock(m, id, principal.scope);
      if (!c.reissue) {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_NOT_REISSUE,
          'validation',
          `correction ${id} does not re-issue invoice ${c.invoiceKey}: its red invoice alone completes it`,
        );
      }
      if (correctionEnded(c.state)) {
        throw new AppError(
          ReconcileErrorCode.CORRECTION_ENDED,
          'conflict',
          `correction ${id} is ${c.state}: it takes no re-issue any more`,
        );
      }
      const finding = (await this.findingsQuery.get(m, c.findingId, principal.scope, false))!;
      await this.checks.reissue(m, finding, invoiceKey);
      await this.corrections.linkReissue(m, id, invoiceKey, now);
      await this.corrections.record(m, id, {
        at: now,
        action: 'reissue-linked',
        actor: by,
        reason: note,
        detail: { invoiceKey, replaced: c.reissueInvoiceKey },
      });
      await this.findings.appendHistory(
        m,
        [
          {
            findingId: finding.id,
            fromState: finding.state,
            toState: finding.state,
            action: 'correction-reissue',
            actor: by,
            reason: note ?? `invoice ${invoiceKey} re-issues invoice ${c.invoiceKey} corrected`,
            runId: null,
          },
        ],
        now,
      );
      await this.audit.record(m, {
        at: now,
        actor: by,
        action: 'correction.reissue',
        targetType: 'correction',
        targetId: id,
        taxNo: finding.taxNo,
        branchId: finding.branchId,
        reason: note ?? undefined,
        detail: { findingId: finding.id, invoiceKey, replaced: c.reissueInvoiceKey },
      });
    });
    this.logger.log({ correctionId: id, invoiceKey, by: by.subject }, 'corrected re-issue named');
    return this.views.get(id, principal.scope);
  }
}

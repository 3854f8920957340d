import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, ErrorDetail } from '@lib/common';
import { InvoiceType, parseMoney, periodOf, tryInvoiceKey, verificationQueryOf } from '@lib/domain';
import { actorOf, AuditLog, inScope, parseInput, Principal } from '@lib/platform';
import { CheckOutcome, ReceivedChecksService } from './received-checks.service';
import { ReceivedInvoicesRepository } from './received-invoices.repository';
import { CheckTrigger } from './received-invoice.model';
import { ListReceivedQuery, ReceivedInvoiceInput, receivedInvoiceInputSchema } from './received.schemas';
import { ReconcileErrorCode } from '../reconcile-error-codes';

/**
 * Received invoices for people (docs/received-invoices.md): registration by a receiving branch, reads, and 查验 on
 * demand, one or a batch. Role and branch scope are enforced here: an invoice of a branch outside the caller's scope is
 * not found (404, exactly as an unknown one) and registering for such a branch is forbidden (403). Every registration
 * and check records who in the audit log.
 */
@Injectable()
export class ReceivedInvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: ReceivedInvoicesRepository,
    private readonly checks: ReceivedChecksService,
    private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async register(input: ReceivedInvoiceInput, principal: Principal) {
    const problems = rulesOf(input);
    if (problems.length > 0) throw new AppError(ReconcileErrorCode.INVALID_RECEIVED_INVOICE, 'validation', problems.map((p) => p.message).join('; '), { details: problems });
    if (!inScope(principal.scope, input.branchId)) {
      throw new AppError(ReconcileErrorCode.BRANCH_OUT_OF_SCOPE, 'forbidden', `branch ${input.branchId} is not one of yours`);
    }
    const actor = actorOf(principal);
    const now = this.clock.now();
    const issuedAt = new Date(input.issuedAt);
    return this.dataSource.transaction(async (m) => {
      const { row, created } = await this.invoices.register(
        m,
        {
          taxNo: input.buyerTaxNo,
          branchId: input.branchId,
          invoiceKey: tryInvoiceKey({ code: input.code ?? null, number: input.number })!,
          type: input.type,
          code: input.code ?? null,
          number: input.number,
          issuedAt,
          period: periodOf(issuedAt),
          sellerTaxNo: input.sellerTaxNo,
          sellerName: input.sellerName,
          amount: input.amount,
          taxAmount: input.taxAmount,
          totalAmount: input.totalAmount,
          checkCode: input.checkCode ?? null,
        },
        actor,
        now,
      );
      if (!created && !inScope(principal.scope, row.branchId)) {
        // another branch received it first: say so without showing that branch's record
        throw new AppError(ReconcileErrorCode.RECEIVED_INVOICE_EXISTS, 'conflict', `invoice ${row.invoiceKey} is already registered by another branch`);
      }
      if (created) {
        await this.audit.record(m, {
          at: now,
          actor,
          action: 'received-invoice.register',
          targetType: 'received-invoice',
          targetId: row.id,
          taxNo: row.taxNo,
          branchId: row.branchId,
          detail: { invoiceKey: row.invoiceKey, sellerTaxNo: row.sellerTaxNo },
        });
      }
      return { status: created ? ('created' as const) : ('existing' as const), receivedInvoice: row };
    });
  }

  /** Each item on its own: one bad item never rejects the others. */
  async registerBatch(items: unknown[], principal: Principal) {
    const results = [];
    for (const [index, item] of items.entries()) {
      try {
        const input = parseInput(receivedInvoiceInputSchema, item, `invoices.${index}`);
        const { status, receivedInvoice } = await this.register(input, principal);
        results.push({ index, status, id: receivedInvoice.id });
      } catch (error) {
        if (!(error instanceof AppError) || error.kind === 'internal' || error.kind === 'unavailable') throw error;
        results.push({ index, status: 'rejected' as const, error: { code: error.code, message: error.message, details: error.details } });
      }
    }
    return { results };
  }

  list(principal: Principal, query: ListReceivedQuery) {
    return this.invoices.list(this.dataSource.manager, principal.scope, query);
  }

  async get(id: string, principal: Principal) {
    const row = await this.invoices.get(this.dataSource.manager, id, principal.scope);
    if (!row) throw notFound(id);
    return { ...row, checks: await this.invoices.checks(this.dataSource.manager, id) };
  }

  async history(id: string, principal: Principal) {
    if (!(await this.invoices.get(this.dataSource.manager, id, principal.scope))) throw notFound(id);
    return { items: await this.invoices.checks(this.dataSource.manager, id) };
  }

  async checkOne(id: string, principal: Principal) {
    const outcome = await this.run(id, principal, 'request');
    if (outcome.kind === 'refused') throw outcome.error;
    return { check: outcome.check, findings: outcome.findings };
  }

  /** Each id on its own, in order: one refused (quota, unknown) never stops the others. */
  async checkBatch(ids: string[], principal: Principal) {
    const results = [];
    for (const id of ids) {
      try {
        const outcome = await this.run(id, principal, 'batch');
        results.push(
          outcome.kind === 'checked'
            ? { id, status: 'checked' as const, check: outcome.check, findings: outcome.findings }
            : { id, status: 'refused' as const, error: { code: outcome.error.code, message: outcome.error.message } },
        );
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== ReconcileErrorCode.RECEIVED_INVOICE_NOT_FOUND) throw error;
        results.push({ id, status: 'not_found' as const, error: { code: error.code, message: error.message } });
      }
    }
    return { results };
  }

  private async run(id: string, principal: Principal, trigger: CheckTrigger): Promise<CheckOutcome> {
    const row = await this.invoices.get(this.dataSource.manager, id, principal.scope);
    if (!row) throw notFound(id);
    return this.checks.check(row, actorOf(principal), trigger);
  }
}

/** What the schema cannot say alone: the key's shape for the type, a reachable 查验 (check code), and the money's sums. */
export function rulesOf(input: ReceivedInvoiceInput): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const digital = input.type.startsWith('DIGITAL_');
  if (digital ? input.code || input.number.length !== 20 : !input.code || input.number.length !== 8) {
    problems.push({ code: 'INVALID_INVOICE_KEY', field: 'number', message: digital ? 'a fully digital invoice has no code and a 20-digit number' : 'a code and an 8-digit number' });
  } else if (verificationQueryOf({ ...input, code: input.code ?? null, checkCode: input.checkCode ?? null, type: input.type as InvoiceType }).kpje === null) {
    problems.push({ code: 'CHECK_CODE_REQUIRED', field: 'checkCode', message: '查验 of a general invoice needs the last 6 digits of its check code' });
  }
  if (input.sellerTaxNo === input.buyerTaxNo) {
    problems.push({ code: 'SELLER_IS_BUYER', field: 'sellerTaxNo', message: 'a received invoice is issued by another taxpayer' });
  }
  if (parseMoney(input.amount) + parseMoney(input.taxAmount) !== parseMoney(input.totalAmount)) {
    problems.push({ code: 'TOTAL_MISMATCH', field: 'totalAmount', message: 'amount + taxAmount must equal totalAmount' });
  }
  return problems;
}

function notFound(id: string): AppError {
  return new AppError(ReconcileErrorCode.RECEIVED_INVOICE_NOT_FOUND, 'not_found', `received invoice ${id} not found`);
}

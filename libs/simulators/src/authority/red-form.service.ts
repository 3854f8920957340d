import { z } from 'zod';
import {
  AUTHORITY_CODES,
  isSpecialType,
  wireInvoiceKey,
  type RedFormAction,
  type RedFormState,
  type RedFormView,
  type WireRedReason,
} from '@lib/protocols';
import { fenToString, MONEY_PATTERN, toFen } from '../core/money.util';
import type { SimClock } from '../core/sim-clock';
import { isLost } from './authority-record';
import type { AuthorityRepository } from './authority.repository';

const createSchema = z.object({
  original: z.object({ code: z.string().nullish(), number: z.string().min(1) }),
  reason: z.enum(['01', '02', '03', '04']),
  amount: z.string().regex(MONEY_PATTERN),
  taxAmount: z.string().regex(MONEY_PATTERN),
  requestNo: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

interface RedForm {
  formId: string;
  state: RedFormState;
  enteredBy: 'seller' | 'buyer';
  sellerTaxNo: string;
  buyerTaxNo: string | null;
  originalKey: string;
  reason: WireRedReason;
  amountFen: bigint;
  taxFen: bigint;
  createdAtMs: number;
  updatedAtMs: number;
  deadlineMs: number;
  requestNo: string | null;
  redInvoiceKey: string | null;
}

export type RedFormOutcome = { ok: true; form: RedFormView } | { ok: false; code: string; message: string };

const PENDING: ReadonlySet<RedFormState> = new Set(['02', '03']);
/** Forms that may still authorise a red invoice: they hold their amount of the original until used or void. */
const LIVE: ReadonlySet<RedFormState> = new Set(['01', '02', '03', '04']);

/**
 * Red-letter confirmation forms (数电 红字确认单). The entrant's counterparty confirms (04) or rejects
 * (05/06); the entrant may revoke (08, or 09 after confirmation); a pending form turns 07 when not confirmed
 * within the deadline (72 h of simulated time), evaluated lazily on every read.
 */
export class RedFormService {
  private forms = new Map<string, RedForm>();
  private sequence = 0;

  constructor(
    private readonly repository: AuthorityRepository,
    private readonly clock: SimClock,
    private readonly confirmWindowMs: number,
  ) {}

  create(taxNo: string, input: unknown): RedFormOutcome {
    const parsed = createSchema.safeParse(input);
    if (!parsed.success) return fail(AUTHORITY_CODES.RED_FORM_INVALID, z.prettifyError(parsed.error));
    const body = parsed.data;
    const original = this.repository.get(wireInvoiceKey(body.original));
    if (!original || isLost(original)) return fail(AUTHORITY_CODES.RED_FORM_INVALID, '原蓝字发票不存在');
    if (original.status !== 'NORMAL')
      return fail(AUTHORITY_CODES.RED_FORM_INVALID, '原蓝字发票状态不允许红冲');
    const enteredBy =
      taxNo === original.sellerTaxNo ? 'seller' : taxNo === original.buyerTaxNo ? 'buyer' : null;
    if (!enteredBy) return fail(AUTHORITY_CODES.RED_FORM_WRONG_PARTY, '非该发票的购销方');
    const amountFen = toFen(body.amount)!;
    const taxFen = toFen(body.taxAmount)!;
    if (amountFen > 0n || taxFen > 0n || amountFen + taxFen >= 0n) {
      return fail(AUTHORITY_CODES.RED_FORM_INVALID, '红字金额须为负数');
    }
    const remaining = (toFen(original.totalAmount) ?? 0n) + original.redReversedFen - this.held(original.key);
    if (-(amountFen + taxFen) > remaining) {
      return fail(
        AUTHORITY_CODES.RED_FORM_AMOUNT_EXCEEDS_REMAINING,
        `红字金额超过原发票剩余可冲金额(${fenToString(remaining > 0n ? remaining : 0n)})`,
      );
    }
    const noConfirmation = enteredBy === 'seller' && (!isSpecialType(original.type) || !original.buyerTaxNo);
    const now = this.clock.now();
    this.sequence += 1;
    const form: RedForm = {
      formId: `HZ${String(this.sequence).padStart(18, '0')}`,
      state: noConfirmation ? '01' : enteredBy === 'seller' ? '02' : '03',
      enteredBy,
      sellerTaxNo: original.sellerTaxNo,
      buyerTaxNo: original.buyerTaxNo,
      originalKey: original.key,
      reason: body.reason,
      amountFen,
      taxFen,
      createdAtMs: now,
      updatedAtMs: now,
      deadlineMs: now + this.confirmWindowMs,
      requestNo: body.requestNo ?? null,
      redInvoiceKey: null,
    };
    this.forms.set(form.formId, form);
    return { ok: true, form: view(form) };
  }

  get(taxNo: string, formId: string): RedFormOutcome {
    const form = this.forms.get(formId);
    if (!form || (taxNo !== form.sellerTaxNo && taxNo !== form.buyerTaxNo)) {
      return fail(AUTHORITY_CODES.RED_FORM_NOT_FOUND, '红字确认单不存在');
    }
    return { ok: true, form: view(this.refresh(form)) };
  }

  list(taxNo: string): RedFormView[] {
    return [...this.forms.values()]
      .filter((form) => form.sellerTaxNo === taxNo || form.buyerTaxNo === taxNo)
      .map((form) => view(this.refresh(form)));
  }

  act(taxNo: string, formId: string, action: RedFormAction): RedFormOutcome {
    const found = this.get(taxNo, formId);
    if (!found.ok) return found;
    const form = this.forms.get(formId)!;
    const role = taxNo === form.sellerTaxNo ? 'seller' : 'buyer';
    const next = transition(form, role, action);
    if (!next) {
      const wrongParty = PENDING.has(form.state) && (action === 'revoke') !== (role === form.enteredBy);
      return wrongParty
        ? fail(AUTHORITY_CODES.RED_FORM_WRONG_PARTY, '当前方不能执行该操作')
        : fail(AUTHORITY_CODES.RED_FORM_WRONG_STATE, `状态${form.state}不允许${action}`);
    }
    form.state = next;
    form.updatedAtMs = this.clock.now();
    return { ok: true, form: view(form) };
  }

  /** A red invoice may cite a form that needs no confirmation (01) or is confirmed (04), and that no red invoice used yet. */
  usable(formId: string, originalKey: string): boolean {
    const form = this.forms.get(formId);
    return (
      !!form &&
      form.originalKey === originalKey &&
      !form.redInvoiceKey &&
      ['01', '04'].includes(this.refresh(form).state)
    );
  }

  /** The red invoice `redInvoiceKey` was accepted citing the form: the form shows it, and its amount is no longer held. */
  use(formId: string, redInvoiceKey: string): void {
    const form = this.forms.get(formId);
    if (form && !form.redInvoiceKey) Object.assign(form, { redInvoiceKey, updatedAtMs: this.clock.now() });
  }

  /** Control: acts as the form's seller or buyer, under the same rules as that party's own call (e.g. the buyer confirms). */
  actAs(formId: string, party: 'seller' | 'buyer', action: RedFormAction): RedFormOutcome {
    const form = this.forms.get(formId);
    const taxNo = party === 'seller' ? form?.sellerTaxNo : form?.buyerTaxNo;
    if (!form || !taxNo) return fail(AUTHORITY_CODES.RED_FORM_NOT_FOUND, '红字确认单不存在或无该方');
    return this.act(taxNo, formId, action);
  }

  /** Control: forces a state (e.g. 10, abnormal voucher). */
  force(formId: string, state: RedFormState): RedFormView | null {
    const form = this.forms.get(formId);
    if (!form) return null;
    Object.assign(form, { state, updatedAtMs: this.clock.now() });
    return view(form);
  }

  clear(): void {
    this.forms = new Map();
    this.sequence = 0;
  }

  /** What the live, unused forms of an original hold of it (fen, ≥ 0). */
  private held(originalKey: string): bigint {
    let held = 0n;
    for (const form of this.forms.values()) {
      if (form.originalKey !== originalKey || form.redInvoiceKey) continue;
      if (LIVE.has(this.refresh(form).state)) held += -(form.amountFen + form.taxFen);
    }
    return held;
  }

  private refresh(form: RedForm): RedForm {
    if (PENDING.has(form.state) && this.clock.now() >= form.deadlineMs) {
      form.state = '07';
      form.updatedAtMs = form.deadlineMs;
    }
    return form;
  }
}

function transition(form: RedForm, role: 'seller' | 'buyer', action: RedFormAction): RedFormState | null {
  const counterparty = role !== form.enteredBy;
  if (action === 'confirm' && counterparty && PENDING.has(form.state)) return '04';
  if (action === 'reject' && counterparty && form.state === '02') return '05';
  if (action === 'reject' && counterparty && form.state === '03') return '06';
  if (action === 'revoke' && !counterparty && (PENDING.has(form.state) || form.state === '01')) return '08';
  if (action === 'revoke' && !counterparty && form.state === '04') return '09';
  return null;
}

function fail(code: string, message: string): RedFormOutcome {
  return { ok: false, code, message };
}

function view(form: RedForm): RedFormView {
  return {
    formId: form.formId,
    state: form.state,
    enteredBy: form.enteredBy,
    sellerTaxNo: form.sellerTaxNo,
    buyerTaxNo: form.buyerTaxNo,
    originalInvoiceKey: form.originalKey,
    reason: form.reason,
    amount: fenToString(form.amountFen),
    taxAmount: fenToString(form.taxFen),
    totalAmount: fenToString(form.amountFen + form.taxFen),
    createdAt: new Date(form.createdAtMs).toISOString(),
    updatedAt: new Date(form.updatedAtMs).toISOString(),
    confirmDeadline: new Date(form.deadlineMs).toISOString(),
    requestNo: form.requestNo,
    redInvoiceKey: form.redInvoiceKey,
  };
}

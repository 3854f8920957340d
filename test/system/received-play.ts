// Invoices the enterprise received (进项): a supplier issued two to one of our branches; the authority holds both, and the
// supplier has since voided one. The branch registers them and has them checked (查验): the voided one is a finding
// for that branch, the other raises nothing.
import { withUsccCheckDigit } from '@lib/domain';
import type { Branch, Device, Enterprise } from './enterprise';
import { InvoiceFactory, type ScenarioInvoice } from './invoice-factory';
import type { SandboxClient } from './sandbox-client';

export interface ReceivedPlan {
  /** The branch that received them. */
  branch: Branch;
  valid: ScenarioInvoice;
  voided: ScenarioInvoice;
}

/** Not one of ours: a supplier's own number range, clear of the devices' (below 1,000 × 10,000) and the portal's. */
const SUPPLIER_DEVICE_INDEX = 950;

const SUPPLIER = { taxNo: withUsccCheckDigit('91440300MA5FJ2W7Q'), name: '深圳南山恒通办公用品有限公司' };

export function planReceived(enterprise: Enterprise, issuedAt: Date): ReceivedPlan {
  const branch = enterprise.branches[0];
  const buyer = branch.taxpayer;
  const supplierBranch: Branch = {
    branchId: 'supplier',
    name: SUPPLIER.name,
    taxpayer: { ...buyer, index: -1, taxNo: SUPPLIER.taxNo, name: SUPPLIER.name },
  };
  const supplierDevice: Device = { index: SUPPLIER_DEVICE_INDEX, branch: supplierBranch, name: 'supplier' };
  const factory = new InvoiceFactory(supplierDevice);
  const toUs = (variant: number): ScenarioInvoice => ({
    ...factory.blue('VAT_SPECIAL', issuedAt, variant).invoice,
    buyerTaxNo: buyer.taxNo,
    buyerName: buyer.name,
  });
  return { branch, valid: toUs(1), voided: toUs(2) };
}

type Post = (body: unknown) => Promise<unknown>;

/** Plants the supplier's invoices at the authority, registers them for the branch and checks both at once. */
export async function playReceived(
  plan: ReceivedPlan,
  sandbox: SandboxClient,
  register: Post,
  check: Post,
): Promise<void> {
  await sandbox.plantReceivedInvoices([
    { invoice: plan.valid, status: 'normal' },
    { invoice: plan.voided, status: 'voided' },
  ]);
  const registration = (input: ScenarioInvoice) => ({
    branchId: plan.branch.branchId,
    type: input.type,
    code: input.code,
    number: input.number,
    issuedAt: input.issuedAt,
    sellerTaxNo: input.sellerTaxNo,
    sellerName: input.sellerName,
    buyerTaxNo: input.buyerTaxNo,
    amount: input.amount,
    taxAmount: input.taxAmount,
    totalAmount: input.totalAmount,
    checkCode: input.checkCode,
  });
  const registered = (await register({
    invoices: [registration(plan.valid), registration(plan.voided)],
  })) as { results?: { status: string; id?: string }[] };
  const ids = (registered.results ?? []).flatMap((r) => (r.id ? [r.id] : []));
  if (ids.length !== 2) throw new Error(`received invoices not registered: ${JSON.stringify(registered)}`);
  await check({ ids });
}

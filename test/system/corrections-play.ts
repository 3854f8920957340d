// The month's two red-letter corrections (红字确认单, docs/corrections.md), played through reconcile's API with finance
// managers' own tokens from the sandbox's IdP and, for the outside world, the sandbox: the buyer confirms one form and
// the seller issues the red invoice with it at the authority; the buyer rejects the other.
import { DEV_CREDENTIALS } from '@lib/simulators';
import { AUTHORITY_PATHS, signAuthorityRequest } from '@lib/protocols';
import { requestJson, type JsonBody } from '@lib/testing';
import type { Device } from './enterprise';
import { InvoiceFactory, invoiceKey, type ScenarioInvoice } from './invoice-factory';
import { SandboxPeople, type ScenarioPerson } from './sandbox-people';
import type { SystemHarness } from './system-harness';

export interface PlannedCorrection {
  taxNo: string;
  key: string;
  number: string;
}

export interface CorrectionsPlan {
  /** Proposed again by manager A (A's own approval refused), approved by B, confirmed by the buyer, reversed by `red`. */
  confirmed: PlannedCorrection & { red: ScenarioInvoice };
  /** reconcile's proposal, approved by A, rejected by the buyer (05). */
  rejected: PlannedCorrection;
  managers: { a: ScenarioPerson; b: ScenarioPerson };
}

interface Actor {
  kind: string;
  subject: string;
  name: string;
}

export interface CorrectionView {
  id: string;
  findingId: string;
  invoiceKey: string;
  original: { code: string | null; number: string };
  state: string;
  amount: string;
  taxAmount: string;
  proposedBy: Actor | null;
  decidedBy: Actor | null;
  form: { formId: string | null; state: string | null } | null;
  redInvoiceKey: string | null;
}

export interface CorrectionsOutcome {
  /** The proposals the first run made for the planted mismatches, by whom. */
  proposedAfterFirstRun: { state: string; by: string }[];
  /** Manager A approving A's own proposal: status and error code. */
  selfApproval: string;
  confirmed: CorrectionView;
  rejected: CorrectionView;
  /** Forms at the authority carrying each correction's request number. */
  formsAtAuthority: { confirmed: number; rejected: number };
  /** The red invoice as the authority holds it: visible, and the form it cites. */
  red: { visible: boolean; redFormId: string | null };
}

/** The red invoice is issued on the authority's side (its portal), not by one of our devices. */
export function planCorrections(
  confirmed: { original: ScenarioInvoice; authorityCopy: ScenarioInvoice; portal: Device; at: Date },
  rejected: ScenarioInvoice,
): CorrectionsPlan {
  const of = (i: ScenarioInvoice): PlannedCorrection => ({
    taxNo: i.sellerTaxNo,
    key: invoiceKey(i),
    number: i.number,
  });
  // the form reverses the authority's copy in full, and so does the red invoice issued with it
  const red = new InvoiceFactory(confirmed.portal).red(confirmed.authorityCopy, confirmed.at, '01').invoice;
  return {
    confirmed: { ...of(confirmed.original), red },
    rejected: of(rejected),
    managers: {
      a: { username: 'fm-wang', name: '王财务经理', roles: ['finance-manager'] },
      b: { username: 'fm-li', name: '李财务经理', roles: ['finance-manager'] },
    },
  };
}

const DEADLINE_MS = 60_000;

export async function playCorrections(
  system: SystemHarness,
  plan: CorrectionsPlan,
): Promise<CorrectionsOutcome> {
  const people = new SandboxPeople(system.sandboxUrls.control);
  await people.add(plan.managers.a);
  await people.add(plan.managers.b);
  const a = api(system, await people.token(plan.managers.a.username));
  const b = api(system, await people.token(plan.managers.b.username));

  const first = await Promise.all([plan.confirmed, plan.rejected].map((c) => latest(a, c)));
  const proposedAfterFirstRun = first.map((c) => ({
    state: c?.state ?? 'none',
    by: c?.proposedBy?.kind ?? 'nobody',
  }));
  const [auto1, auto2] = first;
  if (!auto1 || !auto2)
    throw new Error(`no correction proposed for the mismatches: ${JSON.stringify(first)}`);

  // A proposes the first one again, with a note of their own: reconcile's proposal is withdrawn
  const proposed = await a.call('POST', '/v1/corrections', {
    findingId: auto1.findingId,
    reasonCode: '01',
    amount: auto1.amount,
    taxAmount: auto1.taxAmount,
    note: '金额开错，按税局记录全额红冲',
  });
  expectStatus(proposed, 201, 'propose');
  const mine = proposed.body as CorrectionView;
  const self = await a.call('POST', `/v1/corrections/${mine.id}/approve`, {});
  const selfApproval = `${self.status} ${(self.body as JsonBody)?.error?.code ?? ''}`.trim();
  expectStatus(
    await b.call('POST', `/v1/corrections/${mine.id}/approve`, { reason: '核对无误' }),
    200,
    'approve',
  );
  // reconcile proposed the second one: any finance manager may approve it
  expectStatus(await a.call('POST', `/v1/corrections/${auto2.id}/approve`, {}), 200, 'approve');

  const [entered1, entered2] = await Promise.all([
    until(a, mine.id, (c) => !!c.form?.formId, 'entered at the authority'),
    until(a, auto2.id, (c) => !!c.form?.formId, 'entered at the authority'),
  ]);
  const [form1, form2] = [entered1.form!.formId!, entered2.form!.formId!];
  // (a form for a buyer without a tax number needs no confirmation: 01)
  if (entered1.form!.state !== '01') await actAsBuyer(system, form1, 'confirm');
  await actAsBuyer(system, form2, 'reject');
  await issueRed(system, { ...plan.confirmed.red, redFormId: form1 });

  const [confirmed, rejected] = await Promise.all([
    until(a, mine.id, (c) => c.state === 'completed', 'completed by the red invoice'),
    until(a, auto2.id, (c) => c.state === 'void', 'void after the buyer rejected its form'),
  ]);
  const red = await redAtAuthority(system, invoiceKey(plan.confirmed.red));
  return {
    proposedAfterFirstRun,
    selfApproval,
    confirmed,
    rejected,
    formsAtAuthority: {
      confirmed: await formsOf(system, plan.confirmed.taxNo, confirmed.id),
      rejected: await formsOf(system, plan.rejected.taxNo, rejected.id),
    },
    red,
  };
}

interface Api {
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: JsonBody }>;
}

function api(system: SystemHarness, token: string): Api {
  return { call: (method, path, body) => requestJson(system.urls.reconcile, method, path, body, token) };
}

function expectStatus(response: { status: number; body: JsonBody }, status: number, what: string): void {
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The newest correction of a planted mismatch. */
async function latest(api: Api, c: PlannedCorrection): Promise<CorrectionView | undefined> {
  const list = await api.call('GET', `/v1/corrections?taxNo=${c.taxNo}&limit=200`);
  expectStatus(list, 200, 'corrections');
  return (list.body.items as CorrectionView[]).find((x) => x.original.number === c.number);
}

async function until(
  api: Api,
  id: string,
  done: (c: CorrectionView) => boolean,
  what: string,
): Promise<CorrectionView> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const read = await api.call('GET', `/v1/corrections/${id}`);
    expectStatus(read, 200, 'correction');
    const c = read.body as CorrectionView;
    if (done(c)) return c;
    if (Date.now() > deadline) throw new Error(`correction ${id} not ${what}: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function actAsBuyer(
  system: SystemHarness,
  formId: string,
  action: 'confirm' | 'reject',
): Promise<void> {
  const response = await requestJson(
    system.sandboxUrls.control,
    'POST',
    `/__sandbox/authority/red-forms/${formId}/actions`,
    { party: 'buyer', action },
  );
  expectStatus(response, 200, `buyer ${action}s ${formId}`);
}

/** Signed with the sandbox's authority credentials and the system's clock, as the seller's own software would. */
async function authority(
  system: SystemHarness,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<JsonBody> {
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers = signAuthorityRequest({
    ...DEV_CREDENTIALS.authority,
    method,
    pathAndQuery: path,
    body: text,
    timestamp: system.clock.now().getTime(),
  });
  const response = await fetch(`${system.sandboxUrls.authority}${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: method === 'POST' ? text : undefined,
  });
  const answer = (await response.json()) as JsonBody;
  if (answer.code !== '0000') throw new Error(`authority ${method} ${path}: ${JSON.stringify(answer)}`);
  return answer.data as JsonBody;
}

async function issueRed(system: SystemHarness, red: ScenarioInvoice & { redFormId: string }): Promise<void> {
  await authority(system, 'POST', AUTHORITY_PATHS.upload(red.sellerTaxNo), {
    kind: 'red-issued',
    invoice: red,
  });
}

async function formsOf(system: SystemHarness, taxNo: string, requestNo: string): Promise<number> {
  const { items } = await authority(system, 'GET', AUTHORITY_PATHS.redForms(taxNo));
  return (items as { requestNo: string | null }[]).filter((f) => f.requestNo === requestNo).length;
}

/** Waits (briefly) until the red invoice is visible: the next run must be able to list it. */
async function redAtAuthority(
  system: SystemHarness,
  key: string,
): Promise<{ visible: boolean; redFormId: string | null }> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const record = (await system.sandbox.authorityInvoice(key)) as JsonBody;
    const seen = { visible: record?.visible === true, redFormId: record?.invoice?.redFormId ?? null };
    if (seen.visible || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 250));
  }
}

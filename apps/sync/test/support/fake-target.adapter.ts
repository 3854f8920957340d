import { DeliveryRequest, InvoiceTargetAdapter, LookupResult, TargetName, UploadResult } from '@lib/providers';
import { ExternalCallError } from '@lib/resilience';

type Step<T> = T | ExternalCallError | ((request: DeliveryRequest) => T | Promise<T>);

/**
 * An in-memory target: remembers what it accepted by serial and counts duplicates (an upload of a
 * serial or invoice it already has), so tests can assert exactly-once effects. Scripted answers
 * (`nextUploads`, `nextLookups`) are consumed first; then uploads are accepted and lookups report
 * what the target holds.
 */
export class FakeTargetAdapter implements InvoiceTargetAdapter {
  available = true;
  readonly uploads: DeliveryRequest[] = [];
  readonly lookups: DeliveryRequest[] = [];
  readonly held = new Map<string, DeliveryRequest>();
  duplicates = 0;
  nextUploads: Step<UploadResult>[] = [];
  nextLookups: Step<LookupResult>[] = [];
  /** When set, every upload waits for this before answering (a slow or hung target). */
  gate?: Promise<void>;

  constructor(readonly target: TargetName) {}

  async upload(request: DeliveryRequest): Promise<UploadResult> {
    this.uploads.push(request);
    if (this.gate) await this.gate;
    const scripted = this.nextUploads.shift();
    if (scripted !== undefined) return this.play(scripted, request, true);
    return this.accept(request);
  }

  async lookup(request: DeliveryRequest): Promise<LookupResult> {
    this.lookups.push(request);
    const scripted = this.nextLookups.shift();
    if (scripted !== undefined) return this.play(scripted, request, false);
    const held = this.held.get(this.keyOf(request));
    return held?.serialNo === request.serialNo || (held && this.target === 'authority')
      ? { status: 'found', state: 'accepted', targetRecordId: `${this.target}-${request.serialNo}` }
      : { status: 'absent' };
  }

  /** Accepts and keeps the request (also used by scripts that "apply then lose the response"). */
  accept(request: DeliveryRequest): UploadResult {
    const key = this.keyOf(request);
    if (this.held.has(key)) this.duplicates++;
    this.held.set(key, request);
    return { status: 'accepted', targetRecordId: `${this.target}-${request.serialNo}` };
  }

  private keyOf(request: DeliveryRequest): string {
    return `${request.kind}:${request.invoiceKey}`;
  }

  private async play<T>(step: Step<T>, request: DeliveryRequest, _isUpload: boolean): Promise<T> {
    if (step instanceof ExternalCallError) throw step;
    if (typeof step === 'function') return (step as (r: DeliveryRequest) => T | Promise<T>)(request);
    return step;
  }
}

export const notSent = (target: string, code = 'ECONNREFUSED', retryAfterMs?: number) =>
  new ExternalCallError(target, 'not_sent', code, `${target}: ${code}`, undefined, retryAfterMs);
export const unknownOutcome = (target: string, code = 'TIMEOUT') => new ExternalCallError(target, 'unknown', code, `${target}: ${code}`);
export const breakerOpen = (target: string) => new ExternalCallError(target, 'not_sent', 'BREAKER_OPEN', `${target}: breaker open`);

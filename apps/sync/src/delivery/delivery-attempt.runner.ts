import { Clock } from '@lib/common';
import { DeliveryRequest, LookupResult, UploadResult } from '@lib/providers';
import { isExternalCallError } from '@lib/resilience';
import { chooseRelayPlatform, PlatformDeliveryView } from './failover.rules';
import { TargetAdapters } from '../targets/target-adapters';
import { AttemptResult, CallRecord, ClaimedDelivery } from './delivery.model';
import { RetryPolicy } from './retry.policy';

export interface AttemptOutcome {
  result: AttemptResult;
  calls: CallRecord[];
  /** Whether this counts as an attempt (a real send or a lookup after an unknown outcome; not a poll, not a breaker refusal). */
  counted: boolean;
}

type Called<T> = { ok: true; value: T } | { ok: false; result: AttemptResult };

/**
 * Does the calls for one claimed delivery, outside any database transaction, and says what they came to.
 * Exactly-once effect: when the last outcome is unknown (a timeout, a lost response, a crash while
 * `sending`) or the target said "pending", the delivery is looked up first and sent again only if the
 * target answers "absent" (and, after a "pending" answer, only once the absent grace has passed).
 */
export class DeliveryAttemptRunner {
  constructor(
    private readonly adapters: TargetAdapters,
    private readonly policy: RetryPolicy,
    private readonly clock: Clock,
  ) {}

  async run(
    delivery: ClaimedDelivery,
    platformDeliveries: () => Promise<PlatformDeliveryView[]>,
  ): Promise<AttemptOutcome> {
    const calls: CallRecord[] = [];
    const adapter = this.adapters.get(delivery.target);
    if (
      this.adapters.isAuthority(delivery.target) &&
      !this.adapters.isAvailable(delivery.target) &&
      delivery.routing.allowFailover
    ) {
      const via = chooseRelayPlatform(
        delivery.routing,
        false,
        (p) => this.adapters.isAvailable(p),
        await platformDeliveries(),
      );
      if (via) return { result: { kind: 'relay', via }, calls, counted: false };
    }
    if (!adapter)
      return { result: { kind: 'deferred', code: 'TARGET_NOT_CONFIGURED' }, calls, counted: false };
    const request: DeliveryRequest = {
      invoiceKey: delivery.invoiceKey,
      kind: delivery.kind,
      invoice: delivery.invoice,
      serialNo: delivery.serialNo,
      ...(delivery.firstSentAt ? { firstSentAt: delivery.firstSentAt } : {}),
      ...(delivery.deviceNo ? { deviceNo: delivery.deviceNo } : {}),
    };
    const polling = delivery.pendingSince !== null;
    if (delivery.needsLookup || polling) {
      const looked = await this.call(calls, 'lookup', request, () => adapter.lookup(request), describeLookup);
      if (!looked.ok)
        return {
          result: looked.result,
          calls,
          counted: delivery.needsLookup && looked.result.kind !== 'deferred',
        };
      const found = this.fromLookup(looked.value, delivery);
      if (found) return { result: found, calls, counted: delivery.needsLookup && !polling };
    }
    const uploaded = await this.call(calls, 'upload', request, () => adapter.upload(request), describeUpload);
    if (!uploaded.ok) return { result: uploaded.result, calls, counted: uploaded.result.kind !== 'deferred' };
    return { result: fromUpload(uploaded.value), calls, counted: true };
  }

  /** A lookup answer that settles the attempt, or undefined when the delivery must be sent (again). */
  private fromLookup(answer: LookupResult, delivery: ClaimedDelivery): AttemptResult | undefined {
    if (answer.status === 'found') {
      if (answer.state === 'failed') return { kind: 'reissue', code: answer.code, message: answer.message };
      return answer.state === 'accepted'
        ? { kind: 'accepted', targetRecordId: answer.targetRecordId }
        : { kind: 'pending', targetRecordId: answer.targetRecordId };
    }
    // Some platforms do not find an order for a while after accepting it (Nuonuo: up to 10 minutes).
    const since = delivery.pendingSince;
    if (since && this.clock.now().getTime() - since.getTime() < this.policy.absentGraceMs)
      return { kind: 'pending' };
    return undefined;
  }

  private async call<T>(
    calls: CallRecord[],
    action: 'upload' | 'lookup',
    request: DeliveryRequest,
    fn: () => Promise<T>,
    describe: (value: T) => Pick<CallRecord, 'outcome' | 'errorCode' | 'errorMessage' | 'targetRecordId'>,
  ): Promise<Called<T>> {
    const startedAt = this.clock.now();
    const started = process.hrtime.bigint();
    const latency = () => Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    try {
      const value = await fn();
      calls.push({ action, serialNo: request.serialNo, startedAt, latencyMs: latency(), ...describe(value) });
      return { ok: true, value };
    } catch (error) {
      const result = failureOf(error);
      calls.push({
        action,
        serialNo: request.serialNo,
        startedAt,
        latencyMs: latency(),
        outcome: result.kind === 'failed' ? result.failure : result.kind,
        errorCode: 'code' in result ? result.code : undefined,
        errorMessage: 'message' in result ? result.message : undefined,
        retryAfterMs: 'retryAfterMs' in result ? result.retryAfterMs : undefined,
      });
      return { ok: false, result };
    }
  }
}

/** Maps a thrown error to a result. Anything that is not an ExternalCallError may have reached the target: unknown. */
export function failureOf(error: unknown): AttemptResult {
  if (!isExternalCallError(error)) {
    return {
      kind: 'failed',
      failure: 'unknown',
      code: 'ADAPTER_FAILED',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  if (error.kind === 'rejected') return { kind: 'rejected', code: error.code, message: error.message };
  if (error.kind === 'not_sent' && error.code === 'BREAKER_OPEN') {
    return { kind: 'deferred', code: error.code, retryAfterMs: error.retryAfterMs };
  }
  return {
    kind: 'failed',
    failure: error.kind,
    code: error.code,
    message: error.message,
    retryAfterMs: error.retryAfterMs,
  };
}

function fromUpload(answer: UploadResult): AttemptResult {
  if (answer.status === 'rejected') return { kind: 'rejected', code: answer.code, message: answer.message };
  return { kind: answer.status, targetRecordId: answer.targetRecordId };
}

function describeUpload(
  answer: UploadResult,
): Pick<CallRecord, 'outcome' | 'errorCode' | 'errorMessage' | 'targetRecordId'> {
  if (answer.status === 'rejected')
    return { outcome: 'rejected', errorCode: answer.code, errorMessage: answer.message };
  return { outcome: answer.status, targetRecordId: answer.targetRecordId };
}

function describeLookup(
  answer: LookupResult,
): Pick<CallRecord, 'outcome' | 'errorCode' | 'errorMessage' | 'targetRecordId'> {
  if (answer.status === 'absent') return { outcome: 'absent' };
  if (answer.state === 'failed')
    return { outcome: 'found_failed', errorCode: answer.code, errorMessage: answer.message };
  return { outcome: `found_${answer.state}`, targetRecordId: answer.targetRecordId };
}

import type { Logger } from 'pino';
import { RemoteOpErrorCode, ReportTotal } from '@lib/contracts';
import { isInvoiceType, tryParseMoney } from '@lib/domain';
import {
  BAIWANG_ERRORS,
  BAIWANG_METHODS,
  BaiwangClearCardResponse,
  BaiwangDeviceRequest,
  BaiwangEnvelope,
  BaiwangErrorResponse,
  BaiwangMonitorResponse,
  BaiwangReportResponse,
} from '@lib/protocols';
import { isExternalCallError } from '@lib/resilience';
import {
  DeviceOperationResult,
  DeviceOperationsPort,
  HostedDeviceRef,
  HostedDeviceStatus,
} from '../ports/device-operations.port';
import { responseBodyOf } from '../shared/call-failures';
import { BaiwangGateway } from './baiwang.gateway';

type Failure = Extract<DeviceOperationResult<never>, { ok: false }>;

const E = BAIWANG_ERRORS;

/**
 * Our class of each Baiwang answer code (REMOTE_OP_FAILURES). A code not listed is an answer we did not expect:
 * a server error (retried, alerted after a few attempts) rather than a rule or a permission nobody can fix.
 */
const ERROR_BY_CODE: Readonly<Record<string, RemoteOpErrorCode>> = {
  [E.OFFLINE_INVOICES_PENDING.code]: 'REMOTE_OFFLINE_INVOICES_PENDING',
  [E.OUTSIDE_REPORTING_WINDOW.code]: 'REMOTE_RULE_REFUSED',
  [E.NOT_REPORTED.code]: 'REMOTE_RULE_REFUSED',
  [E.DEVICE_NOT_FOUND.code]: 'REMOTE_DEVICE_FAULT',
  [E.DEVICE_FAULT.code]: 'REMOTE_DEVICE_FAULT',
  // The authority refused the write-back for the device (its own error in subCode): a person must look at it.
  [E.CLEAR_CARD_FAILED.code]: 'REMOTE_DEVICE_FAULT',
  [E.TAXPAYER_FORBIDDEN.code]: 'REMOTE_PERMISSION_DENIED',
  [E.INVALID_APP_KEY.code]: 'REMOTE_PERMISSION_DENIED',
  [E.INVALID_SIGNATURE.code]: 'REMOTE_PERMISSION_DENIED',
  [E.INVALID_TOKEN.code]: 'REMOTE_PERMISSION_DENIED',
  [E.TOKEN_EXPIRED.code]: 'REMOTE_PERMISSION_DENIED',
  [E.OAUTH_FAILED.code]: 'REMOTE_PERMISSION_DENIED',
  [E.INVALID_REFRESH_TOKEN.code]: 'REMOTE_PERMISSION_DENIED',
  [E.INVALID_TIMESTAMP.code]: 'REMOTE_PERMISSION_DENIED',
  // The app is not subscribed to the method: granted at the platform, like a taxpayer.
  [E.UNKNOWN_METHOD.code]: 'REMOTE_PERMISSION_DENIED',
  [E.RATE_LIMITED.code]: 'REMOTE_SERVER_ERROR',
  [E.SYSTEM_ERROR.code]: 'REMOTE_SERVER_ERROR',
};

/** Our failure codes for the gateway's own refusals (libs/providers `baiwangCode` names, thrown before any answer). */
const PERMISSION_THROWN = new Set(['BAIWANG_TOKEN_REJECTED']);

export interface BaiwangDeviceOperationsOptions {
  /** Deadline of each HTTP call of an operation. */
  timeoutMs: number;
  logger?: Logger;
}

/**
 * One-key 抄报 (`baiwang.output.device.onekeyreport`), 清卡 (`baiwang.output.device.onekeywriteback`) and the device
 * monitor (`baiwang.output.device.monitor`) of devices hosted at Baiwang, on the delivery adapter's gateway: the same
 * breaker and token. Never throws: every failure comes back classified (REMOTE_OP_FAILURES), with Baiwang's code and
 * words, and `outcomeUnknown` when the request may have been carried out without our hearing of it.
 */
export class BaiwangDeviceOperations implements DeviceOperationsPort {
  readonly platform = 'baiwang';

  constructor(
    private readonly gateway: BaiwangGateway,
    private readonly options: BaiwangDeviceOperationsOptions,
  ) {}

  report(
    ref: HostedDeviceRef,
  ): Promise<DeviceOperationResult<{ totals: ReportTotal[]; reportedAt: string }>> {
    return this.run<BaiwangReportResponse, { totals: ReportTotal[]; reportedAt: string }>(
      BAIWANG_METHODS.report,
      ref,
      (answer) => {
        const totals = answer.totals?.map(toReportTotal);
        if (!totals || totals.some((t) => t === null) || !answer.reportedAt) return null;
        return { totals: totals as ReportTotal[], reportedAt: answer.reportedAt };
      },
    );
  }

  clear(
    ref: HostedDeviceRef,
  ): Promise<DeviceOperationResult<{ clearedAt: string; lockDate: string | null }>> {
    return this.run<BaiwangClearCardResponse, { clearedAt: string; lockDate: string | null }>(
      BAIWANG_METHODS.clearCard,
      ref,
      (answer) =>
        answer.clearedAt ? { clearedAt: answer.clearedAt, lockDate: answer.lockDate ?? null } : null,
    );
  }

  status(ref: HostedDeviceRef): Promise<DeviceOperationResult<HostedDeviceStatus>> {
    return this.run<BaiwangMonitorResponse, HostedDeviceStatus>(BAIWANG_METHODS.monitor, ref, (answer) =>
      typeof answer.reported === 'boolean' && typeof answer.cleared === 'boolean'
        ? {
            reported: answer.reported,
            cleared: answer.cleared,
            lockDate: answer.lockDate ?? null,
            offlinePending: answer.offlineInvoiceCount ?? 0,
          }
        : null,
    );
  }

  private async run<A, R>(
    method: string,
    ref: HostedDeviceRef,
    read: (answer: A) => R | null,
  ): Promise<DeviceOperationResult<R>> {
    const body: BaiwangDeviceRequest = { taxNo: ref.taxNo, machineNo: ref.deviceNo, period: ref.period };
    let envelope: BaiwangEnvelope<A>;
    try {
      envelope = await this.gateway.call<A>(method, body, {
        timeoutMs: this.options.timeoutMs,
        requestId: ref.requestId,
      });
    } catch (error) {
      const failure = fromThrown(ref, error);
      this.options.logger?.warn(
        {
          method,
          taxNo: ref.taxNo,
          deviceNo: ref.deviceNo,
          errorCode: failure.errorCode,
          outcomeUnknown: failure.outcomeUnknown,
        },
        failure.message,
      );
      return failure;
    }
    if (envelope.success && envelope.response) {
      const value = read(envelope.response);
      if (value !== null) return { ok: true, value, requestId: ref.requestId };
      // The platform said it was done but its answer lacks what we need: done, for all we know; look it up.
      return failed(ref, 'REMOTE_SERVER_ERROR', null, `${method}: answer without the expected fields`, true);
    }
    return fromEnvelope(ref, envelope.errorResponse);
  }
}

function fromEnvelope(ref: HostedDeviceRef, error: BaiwangErrorResponse | undefined): Failure {
  if (!error) return failed(ref, 'REMOTE_SERVER_ERROR', null, 'success=false without errorResponse', true);
  const code = ERROR_BY_CODE[error.code] ?? 'REMOTE_SERVER_ERROR';
  // "System busy" may have been half done; every other refusal was decided before anything happened.
  return failed(ref, code, error.code, words(error), error.code === E.SYSTEM_ERROR.code);
}

function fromThrown(ref: HostedDeviceRef, error: unknown): Failure {
  if (!isExternalCallError(error)) {
    return failed(
      ref,
      'REMOTE_NETWORK_ERROR',
      null,
      error instanceof Error ? error.message : String(error),
      true,
    );
  }
  const answered = envelopeError(
    responseBodyOf(error) ?? (isExternalCallError(error.cause) ? responseBodyOf(error.cause) : undefined),
  );
  const unknown = error.kind === 'unknown';
  if (answered) {
    // An HTTP error status that still carries Baiwang's envelope (429 rate limit, 503 busy): its code decides.
    const code = ERROR_BY_CODE[answered.code] ?? 'REMOTE_SERVER_ERROR';
    return failed(ref, code, answered.code, words(answered), unknown);
  }
  const baiwangCode = error.code.startsWith('BAIWANG_') ? baiwangCodeOf(error.code) : null;
  if (baiwangCode)
    return failed(
      ref,
      ERROR_BY_CODE[baiwangCode] ?? 'REMOTE_SERVER_ERROR',
      baiwangCode,
      error.message,
      unknown,
    );
  if (PERMISSION_THROWN.has(error.code))
    return failed(ref, 'REMOTE_PERMISSION_DENIED', null, error.message, false);
  if (error.code === 'RATE_LIMITED' || error.code === 'SERVICE_UNAVAILABLE' || (error.status ?? 0) >= 500) {
    return failed(ref, 'REMOTE_SERVER_ERROR', null, error.message, unknown);
  }
  if (error.status !== undefined) return failed(ref, 'REMOTE_SERVER_ERROR', null, error.message, unknown);
  // Timeouts, resets, refused connections, an open breaker: the network class; unknown when it may have been sent.
  return failed(ref, 'REMOTE_NETWORK_ERROR', null, error.message, unknown);
}

/** `BAIWANG_RATE_LIMITED` → `100012`: the Baiwang code behind one of our `BAIWANG_<NAME>` codes. */
function baiwangCodeOf(ours: string): string | null {
  const name = ours.slice('BAIWANG_'.length) as keyof typeof BAIWANG_ERRORS;
  return Object.prototype.hasOwnProperty.call(BAIWANG_ERRORS, name) ? BAIWANG_ERRORS[name].code : null;
}

function envelopeError(body: unknown): BaiwangErrorResponse | null {
  const error = (body as { errorResponse?: unknown } | undefined)?.errorResponse as
    BaiwangErrorResponse | undefined;
  return error && typeof error.code === 'string' ? error : null;
}

function words(error: BaiwangErrorResponse): string {
  const sub = [error.subCode, error.subMsg].filter(Boolean).join(' ');
  return sub ? `${error.msg} (${sub})` : error.msg;
}

function failed(
  ref: HostedDeviceRef,
  errorCode: RemoteOpErrorCode,
  platformCode: string | null,
  message: string,
  outcomeUnknown: boolean,
): Failure {
  return { ok: false, errorCode, platformCode, message, requestId: ref.requestId, outcomeUnknown };
}

function toReportTotal(total: {
  invoiceType?: unknown;
  count?: unknown;
  amount?: unknown;
  taxAmount?: unknown;
}): ReportTotal | null {
  const { invoiceType, count, amount, taxAmount } = total;
  if (!isInvoiceType(invoiceType) || typeof count !== 'number' || !Number.isInteger(count) || count < 0)
    return null;
  if (typeof amount !== 'string' || typeof taxAmount !== 'string') return null;
  if (!tryParseMoney(amount).ok || !tryParseMoney(taxAmount).ok) return null;
  return { type: invoiceType, count, amount, taxAmount };
}

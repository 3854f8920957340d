import { isAxiosError } from 'axios';
import { sleep } from '@lib/common';
import { ExternalCallError, isExternalCallError, ResilientHttpClient } from '@lib/resilience';

/** A device as the gateway's admin API shows it (the fields a reset reads). */
export interface GatewayDevice {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  status: string;
  createdAt: string;
  replacedBy?: string | null;
}

/** The gateway's answer to a registration or a secret rotation: the secret is in it, once. */
export interface DeviceWithSecret {
  deviceId: string;
  secret: string;
}

/**
 * A gateway call that did not succeed:
 * - `refused`: the gateway answered with an error (its HTTP status and error code, e.g. 403 FORBIDDEN, 404
 *   DEVICE_NOT_FOUND, 409 DEVICE_RETIRED): the caller's identity and permissions are the gateway's to judge;
 * - `unavailable`: no answer: not reached, breaker open, or no complete answer within the deadline (`maybeDone`: the
 *   request may have been carried out anyway).
 * Carries no part of the request (its Authorization header) nor of the axios error, so it is safe to log.
 */
export class GatewayCallError extends Error {
  constructor(
    readonly kind: 'refused' | 'unavailable',
    readonly status: number | null,
    readonly code: string,
    message: string,
    readonly maybeDone: boolean,
  ) {
    super(message);
    this.name = 'GatewayCallError';
  }
}

export interface GatewayAdminSettings {
  /** Tries of a call that may safely be repeated, when the gateway could not be reached or did not answer. */
  attempts: number;
  /** Pause before the next try (doubled each time). */
  backoffMs: number;
}

type Idempotence = 'idempotent' | 'once';

/**
 * The device gateway's admin API (`/v1/admin/devices/...`), called under the caller's own bearer token so that the
 * gateway itself decides what this person may do, through one breaker and deadline (ResilientHttpClient). A call is
 * tried again only when that is safe: any call the gateway did not receive (not reached, 429), and, when it did not
 * answer, only the calls that are idempotent at the gateway (reads, suspend, enable, retire, and rotate-secret, whose
 * last answer is the secret that counts). Registration is never repeated blindly: the caller looks the device up first.
 */
export class GatewayAdminClient {
  constructor(
    private readonly http: ResilientHttpClient,
    private readonly settings: GatewayAdminSettings,
  ) {}

  /** Stops the breaker's timers with the module. */
  onModuleDestroy(): void {
    this.http.shutdown();
  }

  getDevice(token: string, deviceId: string): Promise<GatewayDevice> {
    return this.call(
      token,
      'GET',
      `/v1/admin/devices/${encodeURIComponent(deviceId)}`,
      undefined,
      'idempotent',
    );
  }

  /** Every device of a taxpayer's branch, in registration order (the gateway's keyset pages, up to `maxPages`). */
  async listDevices(token: string, taxNo: string, branchId: string, maxPages = 50): Promise<GatewayDevice[]> {
    const devices: GatewayDevice[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const query = new URLSearchParams({ taxNo, branchId, limit: '200' });
      if (cursor) query.set('cursor', cursor);
      const body: { items: GatewayDevice[]; nextCursor: string | null } = await this.call(
        token,
        'GET',
        `/v1/admin/devices?${query.toString()}`,
        undefined,
        'idempotent',
      );
      devices.push(...body.items);
      cursor = body.nextCursor;
      if (!cursor) return devices;
    }
    throw new GatewayCallError(
      'refused',
      null,
      'TOO_MANY_DEVICES',
      `the branch has more than ${maxPages * 200} devices; the lookup stopped`,
      false,
    );
  }

  suspend(token: string, deviceId: string, reason: string): Promise<GatewayDevice> {
    return this.call(token, 'POST', `${devicePath(deviceId)}/suspend`, { reason }, 'idempotent');
  }

  enable(token: string, deviceId: string, reason: string): Promise<GatewayDevice> {
    return this.call(token, 'POST', `${devicePath(deviceId)}/enable`, { reason }, 'idempotent');
  }

  retire(token: string, deviceId: string, reason: string, replacedBy: string): Promise<GatewayDevice> {
    return this.call(token, 'POST', `${devicePath(deviceId)}/retire`, { reason, replacedBy }, 'idempotent');
  }

  rotateSecret(token: string, deviceId: string): Promise<DeviceWithSecret> {
    return this.call(token, 'POST', `${devicePath(deviceId)}/rotate-secret`, undefined, 'idempotent');
  }

  register(
    token: string,
    body: { taxNo: string; branchId: string; name: string },
  ): Promise<DeviceWithSecret & GatewayDevice> {
    return this.call(token, 'POST', '/v1/admin/devices', body, 'once');
  }

  private async call<T>(
    token: string,
    method: string,
    url: string,
    body: unknown,
    idempotence: Idempotence,
  ): Promise<T> {
    let failure: GatewayCallError | null = null;
    for (let attempt = 1; attempt <= this.settings.attempts; attempt += 1) {
      try {
        const response = await this.http.request<T>({
          method,
          url,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          data: body === undefined ? undefined : JSON.stringify(body),
        });
        return response.data;
      } catch (error) {
        failure = toGatewayError(error);
        if (!retriable(failure, error, idempotence) || attempt === this.settings.attempts) throw failure;
        await sleep(this.settings.backoffMs * 2 ** (attempt - 1));
      }
    }
    throw (
      failure ??
      new GatewayCallError('unavailable', null, 'CALL_FAILED', 'the gateway call was not made', false)
    );
  }
}

function devicePath(deviceId: string): string {
  return `/v1/admin/devices/${encodeURIComponent(deviceId)}`;
}

function retriable(failure: GatewayCallError, error: unknown, idempotence: Idempotence): boolean {
  if (failure.kind === 'refused') return failure.status === 429;
  if (isExternalCallError(error) && error.code === 'BREAKER_OPEN') return false;
  return idempotence === 'idempotent' || !failure.maybeDone;
}

/** The gateway's own error code and message when it answered, else what we know about the call; never the request. */
function toGatewayError(error: unknown): GatewayCallError {
  if (!isExternalCallError(error))
    return new GatewayCallError('unavailable', null, 'CALL_FAILED', 'the gateway call failed', true);
  if (error.status !== undefined) {
    const answer = gatewayErrorBody(error);
    return new GatewayCallError(
      error.status >= 500 ? 'unavailable' : 'refused',
      error.status,
      answer?.code ?? (error.code === 'RATE_LIMITED' ? 'RATE_LIMITED' : `HTTP_${error.status}`),
      answer?.message ?? `the gateway answered HTTP ${error.status}`,
      error.status >= 500,
    );
  }
  const maybeDone = error.kind === 'unknown';
  const message =
    error.code === 'BREAKER_OPEN'
      ? 'the gateway failed repeatedly; calls to it are paused for a moment (breaker open)'
      : error.code === 'TIMEOUT'
        ? 'the gateway did not answer within the deadline'
        : `the gateway could not be reached (${error.code})`;
  return new GatewayCallError(
    'unavailable',
    null,
    error.code === 'TIMEOUT' ? 'GATEWAY_TIMEOUT' : error.code,
    message,
    maybeDone,
  );
}

function gatewayErrorBody(error: ExternalCallError): { code: string; message: string } | null {
  const cause = error.cause;
  if (!isAxiosError(cause)) return null;
  const data: unknown = cause.response?.data;
  const parsed = typeof data === 'string' ? safeJson(data) : data;
  const inner = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!inner || typeof inner.code !== 'string') return null;
  return {
    code: inner.code.slice(0, 64),
    message: typeof inner.message === 'string' ? inner.message.slice(0, 500) : inner.code,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

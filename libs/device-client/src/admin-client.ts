import type { RegisteredDevice } from '@lib/contracts';
import { GatewayResponse, joinUrl, readResponse } from './http-response';

export type { RegisteredDevice };

export interface DeviceView {
  deviceId: string;
  taxNo: string;
  branchId: string;
  name: string;
  deviceNo: string | null;
  status: 'active' | 'suspended' | 'retired';
  statusReason: string | null;
  statusChangedAt: string | null;
  hostedOn: string | null;
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
  secretRotatedAt: string | null;
}

/** The gateway's admin API (device registry), with the bearer admin token. */
export class GatewayAdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  registerDevice(body: {
    taxNo: string;
    branchId: string;
    name: string;
    deviceNo?: string | null;
    /** The day the tax device was issued (YYYY-MM-DD), when long before its registration here. */
    activatedOn?: string;
  }): Promise<GatewayResponse<RegisteredDevice>> {
    return this.call('POST', '/v1/admin/devices', body);
  }

  getDevice(deviceId: string): Promise<GatewayResponse<DeviceView>> {
    return this.call('GET', `/v1/admin/devices/${encodeURIComponent(deviceId)}`);
  }

  listDevices(query: { taxNo?: string; branchId?: string; cursor?: string; limit?: number } = {}) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const qs = params.size > 0 ? `?${params.toString()}` : '';
    return this.call<{ items: DeviceView[]; nextCursor: string | null }>('GET', `/v1/admin/devices${qs}`);
  }

  /** Marks the device hosted by a platform (a cloud device whose 抄报 and 清卡 the product runs there), or not (null). */
  setHosting(deviceId: string, hostedOn: string | null): Promise<GatewayResponse<DeviceView>> {
    return this.call('PUT', `/v1/admin/devices/${encodeURIComponent(deviceId)}/hosting`, { hostedOn });
  }

  /** Sets, replaces or (null) forgets the device's authority number (机器编号). */
  setDeviceNo(deviceId: string, deviceNo: string | null): Promise<GatewayResponse<DeviceView>> {
    return this.call('PUT', `/v1/admin/devices/${encodeURIComponent(deviceId)}/device-no`, { deviceNo });
  }

  disableDevice(deviceId: string): Promise<GatewayResponse<DeviceView>> {
    return this.call('POST', `/v1/admin/devices/${encodeURIComponent(deviceId)}/disable`);
  }

  /** Suspends, re-enables or retires the device; the reason is recorded with the change. */
  changeStatus(
    deviceId: string,
    action: 'suspend' | 'enable' | 'retire',
    reason: string,
  ): Promise<GatewayResponse<DeviceView>> {
    return this.call('POST', `/v1/admin/devices/${encodeURIComponent(deviceId)}/${action}`, { reason });
  }

  rotateSecret(
    deviceId: string,
  ): Promise<GatewayResponse<{ deviceId: string; secret: string; rotatedAt: string }>> {
    return this.call('POST', `/v1/admin/devices/${encodeURIComponent(deviceId)}/rotate-secret`);
  }

  reencryptSecrets(): Promise<
    GatewayResponse<{ reencrypted: number; remaining: number; activeKeyId: string }>
  > {
    return this.call('POST', '/v1/admin/secrets/re-encrypt');
  }

  /** Registers a device and fails loudly unless the gateway answers 201. */
  async mustRegister(body: {
    taxNo: string;
    branchId: string;
    name: string;
    deviceNo?: string | null;
    activatedOn?: string;
  }): Promise<RegisteredDevice> {
    const response = await this.registerDevice(body);
    if (response.status !== 201)
      throw new Error(`device registration failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<GatewayResponse<T>> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await this.fetchFn(joinUrl(this.baseUrl, path), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    return readResponse<T>(response);
  }
}

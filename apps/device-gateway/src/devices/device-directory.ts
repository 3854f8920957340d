import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { SecretCipher } from '../secrets/secret-cipher';
import { DeviceStatus } from './device.model';
import { DevicesRepository } from './devices.repository';

/** A device as authentication needs it, with its secret decrypted (memory only, never logged). */
export interface AuthenticDevice {
  deviceId: string;
  taxNo: string;
  branchId: string;
  /** The authority number (机器编号), carried in the device's events. */
  deviceNo: string | null;
  status: DeviceStatus;
  secret: Buffer;
}

interface Entry {
  device: AuthenticDevice | null;
  expiresAt: number;
}

const MAX_ENTRIES = 100_000;

/**
 * Devices by id, cached per replica for GATEWAY_DEVICE_CACHE_TTL_MS so the hot path neither queries nor decrypts on
 * every request. Changes made through this replica (disable, rotate) invalidate at once; changes made through another
 * replica are seen here within the TTL. Unknown ids are cached too (as null) so random ids cannot hammer the
 * database; a new device id is random, so nobody asks for it before it exists. Failures are never cached.
 */
@Injectable()
export class DeviceDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<AuthenticDevice | null>>();
  private readonly ttlMs: number;

  constructor(
    private readonly devices: DevicesRepository,
    private readonly cipher: SecretCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.ttlMs = config.GATEWAY_DEVICE_CACHE_TTL_MS;
  }

  async find(deviceId: string): Promise<AuthenticDevice | null> {
    const now = this.clock.now().getTime();
    const cached = this.entries.get(deviceId);
    if (cached && cached.expiresAt > now) return cached.device;
    const pending = this.loading.get(deviceId);
    if (pending) return pending;
    const load = this.load(deviceId, now).finally(() => this.loading.delete(deviceId));
    this.loading.set(deviceId, load);
    return load;
  }

  invalidate(deviceId: string): void {
    this.entries.delete(deviceId);
  }

  private async load(deviceId: string, now: number): Promise<AuthenticDevice | null> {
    const record = await this.devices.findById(deviceId);
    const device: AuthenticDevice | null = record
      ? {
          deviceId: record.deviceId,
          taxNo: record.taxNo,
          branchId: record.branchId,
          deviceNo: record.deviceNo,
          status: record.status,
          secret: this.cipher.open(record.deviceId, record.sealed),
        }
      : null;
    if (this.ttlMs > 0) {
      this.entries.delete(deviceId);
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(deviceId, { device, expiresAt: now + this.ttlMs });
    }
    return device;
  }
}

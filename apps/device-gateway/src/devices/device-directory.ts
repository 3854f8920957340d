import { Inject, Injectable } from '@nestjs/common';
import { Clock, CLOCK } from '@lib/common';
import { ALL_BRANCHES } from '@lib/platform';
import { GatewayConfig } from '../gateway.config';
import { GATEWAY_CONFIG } from '../gateway.tokens';
import { SecretCipher } from '../secrets/secret-cipher';
import { DeviceStatus } from './device.model';
import { DevicesRepository } from './devices.repository';
import { UnknownDeviceIds } from './unknown-device-ids';

/** A device as authentication needs it, with its secret decrypted (memory only, never logged). */
export interface AuthenticDevice {
  deviceId: string;
  taxNo: string;
  branchId: string;
  /** The authority number (机器编号), carried in the device's events. */
  deviceNo: string | null;
  /** The registered name, carried in the device's events. */
  name: string;
  status: DeviceStatus;
  secret: Buffer;
}

interface Entry {
  device: AuthenticDevice;
  expiresAt: number;
}

const MAX_ENTRIES = 100_000;

/**
 * Devices by id, cached per replica for GATEWAY_DEVICE_CACHE_TTL_MS so the hot path neither queries nor decrypts on
 * every request. Changes made through this replica (suspend, enable, retire, rotate, ...) invalidate at once;
 * changes made through another replica are seen here within the TTL. Unknown ids are remembered apart (UnknownDeviceIds, a shorter TTL) so random
 * ids can neither hammer the database nor evict devices. Failures are never cached.
 */
@Injectable()
export class DeviceDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly unknown: UnknownDeviceIds;
  private readonly loading = new Map<string, Promise<AuthenticDevice | null>>();
  private readonly ttlMs: number;
  /** Bumped by every invalidation: a lookup that started before one must not cache what it read. */
  private generation = 0;

  constructor(
    private readonly devices: DevicesRepository,
    private readonly cipher: SecretCipher,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.ttlMs = config.GATEWAY_DEVICE_CACHE_TTL_MS;
    this.unknown = new UnknownDeviceIds(config.GATEWAY_UNKNOWN_DEVICE_CACHE_TTL_MS);
  }

  async find(deviceId: string): Promise<AuthenticDevice | null> {
    const now = this.clock.now().getTime();
    const cached = this.entries.get(deviceId);
    if (cached && cached.expiresAt > now) return cached.device;
    if (this.unknown.has(deviceId, now)) return null;
    const pending = this.loading.get(deviceId);
    if (pending) return pending;
    const load = this.load(deviceId, now).finally(() => {
      if (this.loading.get(deviceId) === load) this.loading.delete(deviceId);
    });
    this.loading.set(deviceId, load);
    return load;
  }

  /** Forgets the device, and whatever a lookup still in flight is about to bring back. */
  invalidate(deviceId: string): void {
    this.generation++;
    this.entries.delete(deviceId);
    this.unknown.delete(deviceId);
    this.loading.delete(deviceId);
  }

  private async load(deviceId: string, now: number): Promise<AuthenticDevice | null> {
    const generation = this.generation;
    const record = await this.devices.findById(deviceId, ALL_BRANCHES);
    const device: AuthenticDevice | null = record
      ? {
          deviceId: record.deviceId,
          taxNo: record.taxNo,
          branchId: record.branchId,
          deviceNo: record.deviceNo,
          name: record.name,
          status: record.status,
          secret: this.cipher.open(record.deviceId, record.sealed),
        }
      : null;
    if (generation === this.generation) this.remember(deviceId, device, now);
    return device;
  }

  private remember(deviceId: string, device: AuthenticDevice | null, now: number): void {
    this.entries.delete(deviceId);
    if (!device) {
      this.unknown.add(deviceId, now);
      return;
    }
    this.unknown.delete(deviceId);
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(deviceId, { device, expiresAt: now + this.ttlMs });
  }
}

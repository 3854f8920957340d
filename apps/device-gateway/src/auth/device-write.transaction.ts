import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isRetriableDatabaseError } from '@lib/common';
import { DevicePrincipal } from './device-principal';
import { deviceAuthError } from './device-auth.errors';
import { GatewayErrorCode } from '../gateway-error-codes';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { NonceRepository } from './nonce.repository';
import { asStoreError } from '../shared/store-errors';

const MAX_ATTEMPTS = 3;

/**
 * The one way a device request writes: a transaction that first consumes the request's nonce, then runs the work.
 * The nonce and the data commit together, so a request that fails half-way (503) left no trace and its retry is
 * not mistaken for a replay, and a replay of a committed request is refused whatever it carries.
 */
@Injectable()
export class DeviceWriteTransaction {
  constructor(
    private readonly dataSource: DataSource,
    private readonly nonces: NonceRepository,
    private readonly metrics: GatewayMetrics,
  ) {}

  async run<T>(device: DevicePrincipal, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          const fresh = await this.nonces.claim(
            manager,
            device.deviceId,
            device.nonce,
            device.nonceExpiresAt,
            device.receivedAt,
          );
          if (!fresh) {
            this.metrics.authFailure(GatewayErrorCode.NONCE_REPLAYED);
            throw deviceAuthError(GatewayErrorCode.NONCE_REPLAYED);
          }
          return work(manager);
        });
      } catch (error) {
        // A deadlock or serialization failure rolled everything back, nonce included: running it again is safe.
        if (attempt < MAX_ATTEMPTS && isRetriableDatabaseError(error)) continue;
        throw asStoreError(error);
      }
    }
  }
}

import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { CLOCK, clockFromOffset, CryptoIdSource, ID_SOURCE } from '@lib/common';
import { DeviceAuthGuard } from './auth/device-auth.guard';
import { DeviceIdentifier } from './auth/device-identifier';
import { DeviceRateLimiter } from './auth/device-rate-limiter';
import { NonceCleanupService } from './auth/nonce-cleanup.service';
import { NonceRepository } from './auth/nonce.repository';
import { GatewayConfig } from './gateway.config';
import { GATEWAY_CONFIG } from './gateway.tokens';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { DeviceDirectory } from './devices/device-directory';
import { DevicesRepository } from './devices/devices.repository';
import { parseMasterKeys } from './secrets/master-key-ring';
import { SecretCipher } from './secrets/secret-cipher';
import { DeviceWriteTransaction } from './auth/device-write.transaction';

/** Says at start-up which features are off for want of configuration, instead of failing later and quietly. */
@Injectable()
class ConfigurationNotices implements OnApplicationBootstrap {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  onApplicationBootstrap(): void {
    const logger = new Logger('Gateway');
    if (!this.config.GATEWAY_ADMIN_TOKEN && !this.config.AUTH_ISSUER)
      logger.warn('neither GATEWAY_ADMIN_TOKEN nor AUTH_ISSUER is set: nobody can call the admin API (401)');
    if (!this.config.GATEWAY_MASTER_KEYS) {
      logger.warn(
        'GATEWAY_MASTER_KEYS is not set: devices can be neither registered nor authenticated (503 SECRET_STORE_DISABLED)',
      );
    }
  }
}

const shared = [
  DevicesRepository,
  DeviceDirectory,
  DeviceIdentifier,
  NonceRepository,
  DeviceRateLimiter,
  DeviceAuthGuard,
  DeviceWriteTransaction,
  GatewayMetrics,
];

/**
 * What the admin and ingest features share: configuration, clock, new ids, secrets, the device directory,
 * authentication, metrics.
 */
@Global()
@Module({})
export class GatewayCoreModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const keys = parseMasterKeys(config.GATEWAY_MASTER_KEYS, config.GATEWAY_ACTIVE_KEY_ID);
    return {
      module: GatewayCoreModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clockFromOffset(config.CLOCK_OFFSET_MS) },
        { provide: ID_SOURCE, useValue: new CryptoIdSource() },
        { provide: SecretCipher, useValue: new SecretCipher(keys.ok ? keys.ring : null) },
        ...shared,
        NonceCleanupService,
        ConfigurationNotices,
      ],
      exports: [GATEWAY_CONFIG, CLOCK, ID_SOURCE, SecretCipher, ...shared],
    };
  }
}

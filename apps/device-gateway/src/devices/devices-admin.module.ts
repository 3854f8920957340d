import { DynamicModule, Module } from '@nestjs/common';
import { AdminGuard, bearerAdminAuthenticator } from '@lib/platform';
import { GatewayConfig } from '../config/gateway.config';
import { DevicesAdminController } from './devices-admin.controller';
import { DisableDeviceUseCase } from './use-cases/disable-device/disable-device.use-case';
import { GetDeviceUseCase } from './use-cases/get-device/get-device.use-case';
import { ListDevicesUseCase } from './use-cases/list-devices/list-devices.use-case';
import { ReencryptSecretsUseCase } from './use-cases/reencrypt-secrets/reencrypt-secrets.use-case';
import { RegisterDeviceUseCase } from './use-cases/register-device/register-device.use-case';
import { RotateDeviceSecretUseCase } from './use-cases/rotate-device-secret/rotate-device-secret.use-case';
import { SetDeviceNoUseCase } from './use-cases/set-device-no/set-device-no.use-case';

/** The admin API over the device registry, behind the shared AdminGuard: provide another ADMIN_AUTHENTICATOR for SSO/OIDC. */
@Module({})
export class DevicesAdminModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: DevicesAdminModule,
      controllers: [DevicesAdminController],
      providers: [
        bearerAdminAuthenticator(config.GATEWAY_ADMIN_TOKEN, 'GATEWAY_ADMIN_TOKEN'),
        AdminGuard,
        RegisterDeviceUseCase,
        GetDeviceUseCase,
        ListDevicesUseCase,
        DisableDeviceUseCase,
        RotateDeviceSecretUseCase,
        SetDeviceNoUseCase,
        ReencryptSecretsUseCase,
      ],
    };
  }
}

import { Module } from '@nestjs/common';
import { DevicesAdminController } from './devices-admin.controller';
import { DisableDeviceUseCase } from './use-cases/disable-device/disable-device.use-case';
import { GetDeviceUseCase } from './use-cases/get-device/get-device.use-case';
import { ListDevicesUseCase } from './use-cases/list-devices/list-devices.use-case';
import { ReencryptSecretsUseCase } from './use-cases/reencrypt-secrets/reencrypt-secrets.use-case';
import { RegisterDeviceUseCase } from './use-cases/register-device/register-device.use-case';
import { RotateDeviceSecretUseCase } from './use-cases/rotate-device-secret/rotate-device-secret.use-case';
import { SetDeviceNoUseCase } from './use-cases/set-device-no/set-device-no.use-case';

/**
 * The admin API over the device registry, behind the platform's AuthGuard (ServiceModule): people with their IdP
 * access token and the `admin-token` service account (GATEWAY_ADMIN_TOKEN).
 */
@Module({
  controllers: [DevicesAdminController],
  providers: [
    RegisterDeviceUseCase,
    GetDeviceUseCase,
    ListDevicesUseCase,
    DisableDeviceUseCase,
    RotateDeviceSecretUseCase,
    SetDeviceNoUseCase,
    ReencryptSecretsUseCase,
  ],
})
export class DevicesAdminModule {}

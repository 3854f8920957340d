import { Module } from '@nestjs/common';
import { DeviceChangeRecorder } from './changes/device-change.recorder';
import { DeviceChangeRunner } from './changes/device-change.runner';
import { DeviceChangedMessages } from './changes/device-changed.message';
import { DeviceChangesRepository } from './changes/device-changes.repository';
import { DeviceAnnouncer } from '../workers/device-announcer.service';
import { DevicesAdminController } from './devices-admin.controller';
import { AnnounceDevicesUseCase } from '../use-cases/announce-devices/announce-devices.use-case';
import { EnableDeviceUseCase } from '../use-cases/enable-device/enable-device.use-case';
import { GetDeviceUseCase } from '../use-cases/get-device/get-device.use-case';
import { ListDeviceChangesUseCase } from '../use-cases/list-device-changes/list-device-changes.use-case';
import { ListDevicesUseCase } from '../use-cases/list-devices/list-devices.use-case';
import { ReencryptSecretsUseCase } from '../use-cases/reencrypt-secrets/reencrypt-secrets.use-case';
import { RegisterDeviceUseCase } from '../use-cases/register-device/register-device.use-case';
import { RetireDeviceUseCase } from '../use-cases/retire-device/retire-device.use-case';
import { RotateDeviceSecretUseCase } from '../use-cases/rotate-device-secret/rotate-device-secret.use-case';
import { SetDeviceHostingUseCase } from '../use-cases/set-device-hosting/set-device-hosting.use-case';
import { SetDeviceNoUseCase } from '../use-cases/set-device-no/set-device-no.use-case';
import { SuspendDeviceUseCase } from '../use-cases/suspend-device/suspend-device.use-case';

/**
 * The admin API over the device registry, behind the platform's AuthGuard (ServiceModule): people with their IdP
 * access token and the `admin-token` service account (GATEWAY_ADMIN_TOKEN). Every change is recorded (device_changes,
 * audit log) and published as `device.changed`; the announcer publishes, at start-up, the devices never published.
 */
@Module({
  controllers: [DevicesAdminController],
  providers: [
    DeviceChangesRepository,
    DeviceChangedMessages,
    DeviceChangeRecorder,
    DeviceChangeRunner,
    RegisterDeviceUseCase,
    GetDeviceUseCase,
    ListDevicesUseCase,
    ListDeviceChangesUseCase,
    SuspendDeviceUseCase,
    EnableDeviceUseCase,
    RetireDeviceUseCase,
    SetDeviceHostingUseCase,
    RotateDeviceSecretUseCase,
    SetDeviceNoUseCase,
    ReencryptSecretsUseCase,
    AnnounceDevicesUseCase,
    DeviceAnnouncer,
  ],
})
export class DevicesAdminModule {}

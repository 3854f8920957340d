import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError, Clock, CLOCK, ID_SOURCE, IdSource } from '@lib/common';
import { FieldError, RegisteredDevice } from '@lib/contracts';
import { checkTaxNo, invoiceIssue, shanghaiDateOf } from '@lib/domain';
import { actorOf, inScope } from '@lib/platform';
import { generateDeviceSecret, SecretCipher } from '../../secrets/secret-cipher';
import { DeviceChangeRecorder } from '../../devices/changes/device-change.recorder';
import { DeviceRecord } from '../../devices/device.model';
import { DevicesRepository } from '../../devices/devices.repository';
import { RegisterDeviceCommand } from './register-device.command';
import { GatewayErrorCode } from '../../gateway-error-codes';

/**
 * Registers a device bound to one seller taxpayer and branch, and hands out its secret once. Its `device.changed`
 * (registered) announces it, so the start-up announcer never needs to.
 */
@Injectable()
export class RegisterDeviceUseCase {
  private readonly logger = new Logger('Devices');

  constructor(
    private readonly dataSource: DataSource,
    private readonly devices: DevicesRepository,
    private readonly cipher: SecretCipher,
    private readonly recorder: DeviceChangeRecorder,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_SOURCE) private readonly ids: IdSource,
  ) {}

  async execute(command: RegisterDeviceCommand): Promise<RegisteredDevice> {
    if (!inScope(command.principal.scope, command.branchId))
      throw new AppError(
        GatewayErrorCode.FORBIDDEN,
        'forbidden',
        `may not register devices of branch ${command.branchId}`,
      );
    const now = this.clock.now();
    checkActivatedOn(command.activatedOn, now);
    const deviceId = `dev_${this.ids.token(12)}`;
    const secret = generateDeviceSecret(this.ids);
    const actor = actorOf(command.principal);
    const device: DeviceRecord = {
      deviceId,
      taxNo: command.taxNo,
      branchId: command.branchId,
      name: command.name,
      deviceNo: command.deviceNo,
      status: 'active',
      statusReason: null,
      statusChangedAt: null,
      hostedOn: null,
      replacedBy: null,
      activatedOn: command.activatedOn,
      sealed: this.cipher.seal(deviceId, Buffer.from(secret, 'utf8')),
      secretRotatedAt: null,
      createdAt: now,
      updatedAt: now,
      disabledAt: null,
      updatedBy: actor,
      announcedAt: now,
    };
    await this.dataSource.transaction(async (manager) => {
      await this.devices.insert(manager, device);
      await this.recorder.record(manager, {
        device,
        change: 'registered',
        at: now,
        actor,
        reason: null,
        detail: { name: command.name, deviceNo: command.deviceNo, activatedOn: command.activatedOn },
      });
    });
    this.logger.log(
      {
        deviceId,
        taxNo: command.taxNo,
        branchId: command.branchId,
        deviceNo: command.deviceNo,
        by: actor.subject,
      },
      'device registered',
    );
    const warnings = taxNoWarnings(command.taxNo);
    const registered: RegisteredDevice = {
      deviceId,
      secret,
      taxNo: command.taxNo,
      branchId: command.branchId,
      name: command.name,
      deviceNo: command.deviceNo,
      activatedOn: command.activatedOn,
      createdAt: now.toISOString(),
    };
    return warnings.length > 0 ? { ...registered, warnings } : registered;
  }
}

/** A device cannot have been issued after today (Asia/Shanghai, where the authority dates it). */
function checkActivatedOn(activatedOn: string | null, now: Date): void {
  const today = shanghaiDateOf(now);
  if (activatedOn === null || activatedOn <= today) return;
  throw new AppError(GatewayErrorCode.VALIDATION_FAILED, 'validation', 'the device registration is invalid', {
    details: [
      {
        code: GatewayErrorCode.DATE_IN_FUTURE,
        field: 'activatedOn',
        message: `must not be after today (${today})`,
      },
    ],
  });
}

/** The domain's verdict on the id, as warnings: a wrong USCC check digit or a legacy id is accepted, and said so. */
function taxNoWarnings(taxNo: string): FieldError[] {
  const status = checkTaxNo(taxNo).status;
  const code =
    status === 'check-digit-mismatch' ? 'TAX_NO_CHECK_DIGIT' : status === 'legacy' ? 'TAX_NO_LEGACY' : null;
  if (!code) return [];
  const { field, message } = invoiceIssue(code, 'taxNo');
  return [{ code, field, message }];
}

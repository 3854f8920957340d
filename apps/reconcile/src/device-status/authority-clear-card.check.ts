import { AuthorityRecordsReader, ClearCardStatus } from '@lib/providers';
import { describeFailure, toChannelError } from '../pull/channel-errors';
import { ClearCardAgreement, clearCardAgreement, DeviceClearCard } from './clear-card-agreement.rules';
import { DeviceNumberDirectory } from './device-number.port';

/** The authority's view of one device's clear-card for a period, next to the device's own, for CLEAR_CARD_* evidence. */
export type AuthorityClearCardView =
  | { deviceId: string; deviceNo: string; authority: ClearCardStatus; agreement: ClearCardAgreement }
  | { deviceId: string; deviceNo: string | null; unknown: 'NO_DEVICE_NUMBER' | 'AUTHORITY_UNAVAILABLE'; detail: string };

/**
 * Cross-checks the devices' clear-card reports with the authority's clear-card status. Not wired into a
 * run yet: no device number (机器编号) reaches reconcile (see DeviceNumberDirectory), so every device would
 * be NO_DEVICE_NUMBER. docs/reconcile.md ("Clear-card status from the authority") says how the views
 * would reach the CLEAR_CARD_* evidence without a new finding type.
 */
export class AuthorityClearCardCheck {
  constructor(
    private readonly numbers: DeviceNumberDirectory,
    private readonly reader: Pick<AuthorityRecordsReader, 'clearCardStatus'>,
  ) {}

  async view(taxNo: string, period: string, deviceId: string, device: DeviceClearCard): Promise<AuthorityClearCardView> {
    const deviceNo = await this.numbers.authorityDeviceNo(taxNo, deviceId);
    if (!deviceNo) return { deviceId, deviceNo: null, unknown: 'NO_DEVICE_NUMBER', detail: 'the authority number (机器编号) of this device is not known' };
    try {
      const authority = await this.reader.clearCardStatus(taxNo, deviceNo, period);
      return { deviceId, deviceNo, authority, agreement: clearCardAgreement(device, authority.status) };
    } catch (error) {
      return { deviceId, deviceNo, unknown: 'AUTHORITY_UNAVAILABLE', detail: describeFailure(toChannelError(error)) };
    }
  }
}

import { AuthorityRecordsReader, ClearCardStatus } from '@lib/providers';
import { describeFailure, toChannelError } from '../pull/channel-errors';
import { ClearCardAgreement, clearCardAgreement, DeviceClearCard } from './clear-card-agreement.rules';
import { DeviceNumberDirectory } from './device-number.port';

/** Why the authority's view of a device is not known: no number, the authority could not answer, or not asked (limit). */
export type ClearCardUnknown = 'NO_DEVICE_NUMBER' | 'AUTHORITY_UNAVAILABLE' | 'LIMIT_REACHED';

/** The authority's view of one device's clear-card for a period, next to the device's own, for CLEAR_CARD_* evidence. */
export type AuthorityClearCardView =
  | { deviceId: string; deviceNo: string; authority: ClearCardStatus; agreement: ClearCardAgreement }
  | { deviceId: string; deviceNo: string | null; unknown: ClearCardUnknown; detail: string };

export const NO_DEVICE_NUMBER_DETAIL = 'the authority number (机器编号) of this device is not known';

/**
 * Cross-checks the devices' clear-card reports with the authority's clear-card status, keyed by the device's
 * authority number (机器编号, DeviceNumberDirectory). A failure of the authority is an answer too
 * (AUTHORITY_UNAVAILABLE, with its code): the run then judges the device on its own report, as without a number.
 * docs/reconcile.md ("Clear-card status from the authority") says how the views reach the CLEAR_CARD_* evidence.
 */
export class AuthorityClearCardCheck {
  constructor(
    private readonly numbers: Pick<DeviceNumberDirectory, 'authorityDeviceNo'>,
    private readonly reader: Pick<AuthorityRecordsReader, 'clearCardStatus'>,
  ) {}

  /** Looks the device's number up, then asks (see viewOf). */
  async view(taxNo: string, period: string, deviceId: string, device: DeviceClearCard): Promise<AuthorityClearCardView> {
    return this.viewOf(taxNo, period, deviceId, await this.numbers.authorityDeviceNo(taxNo, deviceId), device);
  }

  /** With the number already looked up (a run looks the scope's numbers up at once); asks nothing without one. */
  async viewOf(taxNo: string, period: string, deviceId: string, deviceNo: string | null, device: DeviceClearCard): Promise<AuthorityClearCardView> {
    if (!deviceNo) return { deviceId, deviceNo: null, unknown: 'NO_DEVICE_NUMBER', detail: NO_DEVICE_NUMBER_DETAIL };
    try {
      const authority = await this.reader.clearCardStatus(taxNo, deviceNo, period);
      return { deviceId, deviceNo, authority, agreement: clearCardAgreement(device, authority.status) };
    } catch (error) {
      return { deviceId, deviceNo, unknown: 'AUTHORITY_UNAVAILABLE', detail: describeFailure(toChannelError(error)) };
    }
  }
}

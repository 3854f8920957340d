import { DevicePrincipal } from '../../auth/device-principal';
import { DeviceEventKind } from './device-event.kinds';

/** `POST /v1/devices/{deviceId}/{kind}` after authentication. */
export interface RecordDeviceEventCommand {
  device: DevicePrincipal;
  /** The deviceId of the path: must be the authenticated device. */
  pathDeviceId: string;
  kind: DeviceEventKind;
  body: unknown;
}

export type DeviceEventStatus = 'accepted' | 'duplicate';

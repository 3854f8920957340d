import { AddDeviceNo1763900000100 } from './add-device-no.migration';
import { AddDeviceUpdatedBy1763900000200 } from './add-device-updated-by.migration';
import { CreateGatewayTables1763900000000 } from './create-gateway-tables.migration';
import { DeviceLifecycle1763900000300 } from './device-lifecycle.migration';

/** The gateway's own migrations, in order (the outbox and inbox come from the platform). */
export const GATEWAY_MIGRATIONS = [
  CreateGatewayTables1763900000000,
  AddDeviceNo1763900000100,
  AddDeviceUpdatedBy1763900000200,
  DeviceLifecycle1763900000300,
];

// The simulators of the external systems (tax authority, Baiwang, Nuonuo, SMS gateway, SMTP), for tests,
// benchmarks and the sandbox process (apps/sandbox). Never used in production.
export { startSandbox, type RunningSandbox } from './sandbox';
export {
  DEV_CREDENTIALS,
  DEFAULT_SMS_TEMPLATES,
  resolveSettings,
  SANDBOX_PORT_NAMES,
  type SandboxOptions,
  type SandboxPortName,
  type SandboxSettings,
} from './config/sandbox-options';
export type { SandboxControl, SandboxState, AuthorityRecordInspection } from './control/sandbox-control';
export {
  SANDBOX_TARGETS,
  setFaultsRequestSchema,
  type FaultSpec,
  type SandboxTarget,
} from './faults/fault.schema';
export { generateRecords, generateSpecSchema, type GenerateSpec } from './authority/record-generator';
export type { AuthorityRecord } from './authority/authority-record';
export type { SeedRecordInput } from './authority/authority.simulator';
export type { ClearCardSeed } from './authority/clear-card.repository';
export {
  plantReceivedSchema,
  receivedStatusSchema,
  RECEIVED_STATUSES,
  type PlantReceivedInput,
  type ReceivedStatus,
} from './authority/received-invoices';
export {
  hostedDeviceSpecSchema,
  type HostedDeviceSpec,
  type HostedDeviceView,
} from './baiwang/baiwang-devices.service';
export type { RecordedSms, SmsTemplate } from './sms/sms-gateway.service';
export type { RecordedRobotMessage } from './robots/robot-rate-window';
export type { WecomSettings, WecomRobotSpec } from './robots/wecom-robot.service';
export type { DingtalkSettings, DingtalkRobotSpec } from './robots/dingtalk-robot.service';
export type { FeishuSettings, FeishuRobotSpec } from './robots/feishu-robot.service';
export { ROBOT_PLATFORMS, type RobotPlatform } from './control/sandbox-control';
export type { RecordedMail } from './smtp/smtp-sink';
export { PERIOD_PATTERN } from './core/shanghai-time.util';
export { errorHandler, param, requestLog } from './core/http.util';
export { ManagedServer } from './core/managed-server';
export { DEFAULT_IDP_AUDIENCE, SandboxIdp, type IdpOptions, type MountedIdp } from './idp/sandbox-idp';
export {
  DEMO_IDP_PEOPLE,
  idpPersonSchema,
  type IdpPerson,
  type IdpPersonInput,
  type IdpPersonSpec,
} from './idp/idp-people';
export {
  DEV_IDP_CLIENT,
  idpClientSchema,
  type IdpClientInput,
  type IdpClientSpec,
  type IdpClientView,
} from './idp/idp-clients';
export { parsePrivateJwks, type PrivateJwks } from './idp/idp-keys';
export { IDP_API_SCOPE, IDP_TTL } from './idp/idp-provider';

export { startSandbox, type RunningSandbox } from './sandbox';
export {
  DEV_CREDENTIALS,
  DEFAULT_SMS_TEMPLATES,
  type SandboxOptions,
  type SandboxPortName,
  type SandboxSettings,
} from './config/sandbox-options';
export { sandboxOptionsFromEnv } from './config/sandbox-env.config';
export type { SandboxControl, SandboxState, AuthorityRecordInspection } from './control/sandbox-control';
export { SANDBOX_TARGETS, type FaultSpec, type SandboxTarget } from './faults/fault.schema';
export type { GenerateSpec } from './authority/record-generator';
export type { SeedRecordInput } from './authority/authority.simulator';
export type { ClearCardSeed } from './authority/clear-card.repository';
export type { RecordedSms, SmsTemplate } from './sms/sms-gateway.service';
export type { RecordedMail } from './smtp/smtp-sink';

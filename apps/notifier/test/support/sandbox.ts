export { DEV_CREDENTIALS, startSandbox, type RunningSandbox, type SandboxOptions } from '@lib/simulators';

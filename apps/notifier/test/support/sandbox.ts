// eslint-disable-next-line no-restricted-imports -- test-only: the simulators of the external systems
export {
  DEV_CREDENTIALS,
  startSandbox,
  type RunningSandbox,
  type SandboxOptions,
} from '../../../../apps/sandbox/src';

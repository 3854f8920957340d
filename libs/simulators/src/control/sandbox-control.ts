import type {
  AuthorityInvoiceView,
  ClearCardView,
  RedFormAction,
  RedFormState,
  RedFormView,
} from '@lib/protocols';
import type { SandboxCounters, TargetCounters } from '../core/counters';
import type { SimClock } from '../core/sim-clock';
import { isLost, toView } from '../authority/authority-record';
import type { VisibilityStats } from '../authority/authority.repository';
import type { AuthoritySimulator, SeedRecordInput } from '../authority/authority.simulator';
import type { ClearCardSeed } from '../authority/clear-card.repository';
import {
  plantReceived,
  setInvoiceStatus,
  type PlantReceivedInput,
  type PlantReceivedOutcome,
  type ReceivedStatus,
} from '../authority/received-invoices';
import type {
  BaiwangDevicesService,
  HostedDeviceSpec,
  HostedDeviceView,
} from '../baiwang/baiwang-devices.service';
import type { GenerateSpec } from '../authority/record-generator';
import type { RedFormOutcome } from '../authority/red-form.service';
import type { SandboxSettings } from '../config/sandbox-options';
import { SANDBOX_TARGETS, type FaultSpec, type SandboxTarget } from '../faults/fault.schema';
import type { IdpClientSpec, IdpClientView } from '../idp/idp-clients';
import type { IdpPerson, IdpPersonSpec } from '../idp/idp-people';
import type { SandboxIdp } from '../idp/sandbox-idp';
import type { FaultInjector } from '../faults/fault-injector';
import type { RecordedRobotMessage } from '../robots/robot-rate-window';
import type { RecordedSms } from '../sms/sms-gateway.service';
import type { RecordedMail } from '../smtp/smtp-sink';

export interface AuthorityRecordInspection {
  invoice: AuthorityInvoiceView;
  source: string;
  uploadId: string;
  acceptedAt: string;
  visibleAt: string | null;
  visible: boolean;
  neverVisible: boolean;
}

export type SandboxState = {
  now: string;
  timeScale: number;
  seed: string;
} & Record<SandboxTarget, TargetCounters> & {
    authority: TargetCounters & { store: VisibilityStats };
    /** `methods`: calls per Baiwang method that passed the gateway's checks; `devices`: the hosted devices. */
    baiwang: TargetCounters & { methods: Record<string, number>; devices: HostedDeviceView[] };
    sms: TargetCounters & { messages: number };
    smtp: TargetCounters & { messages: number };
    wecom: TargetCounters & { messages: number };
    dingtalk: TargetCounters & { messages: number };
    feishu: TargetCounters & { messages: number };
  };

export const ROBOT_PLATFORMS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotPlatform = (typeof ROBOT_PLATFORMS)[number];

interface RobotStore {
  list(filter?: { robot?: string }): RecordedRobotMessage[];
  clear(): void;
}

/** Programmatic control of a running sandbox (the control HTTP API calls exactly these). */
export interface SandboxControl {
  setFaults(target: SandboxTarget, spec: unknown): FaultSpec;
  clearFaults(target?: SandboxTarget): void;
  faults(): Partial<Record<SandboxTarget, FaultSpec>>;
  seedRecords(items: SeedRecordInput[]): ReturnType<AuthoritySimulator['seed']>;
  generateRecords(spec: GenerateSpec): ReturnType<AuthoritySimulator['generate']>;
  authorityRecord(invoiceKey: string): AuthorityRecordInspection | null;
  /** Invoices suppliers issued to a buyer (进项), each normal, voided or red-reversed (authority/received-invoices.ts). */
  plantReceivedInvoices(input: PlantReceivedInput): PlantReceivedOutcome;
  /** The supplier voids or red-reverses an invoice the authority holds; null when it holds none. */
  setAuthorityInvoiceStatus(invoiceKey: string, status: ReceivedStatus): AuthorityInvoiceView | null;
  setClearCard(seed: ClearCardSeed): ClearCardView;
  /** Hosts a device at Baiwang, or changes the one hosted (offline invoices, fault, lock date); keeps its history. */
  hostBaiwangDevice(spec: HostedDeviceSpec): HostedDeviceView;
  baiwangDevices(): HostedDeviceView[];
  forceRedFormState(formId: string, state: RedFormState): RedFormView | null;
  /** Acts on a form as its seller or buyer, under the party rules (the buyer confirms or rejects the seller's form). */
  actOnRedForm(formId: string, party: 'seller' | 'buyer', action: RedFormAction): RedFormOutcome;
  state(): SandboxState;
  sms(filter?: { phoneNumber?: string }): RecordedSms[];
  mail(filter?: { to?: string }): RecordedMail[];
  /** What a group robot took (WeCom, DingTalk or Feishu), optionally of one robot (its name in the settings). */
  robots(platform: RobotPlatform, filter?: { robot?: string }): RecordedRobotMessage[];
  /** Adds a person to the IdP, or replaces the one with the same username. */
  upsertIdpPerson(spec: IdpPersonSpec): Promise<IdpPerson>;
  idpPeople(): Promise<IdpPerson[]>;
  /** Registers a relying party with the IdP, or replaces the one with the same client_id. */
  registerIdpClient(spec: IdpClientSpec): IdpClientView;
  idpClients(): IdpClientView[];
  /** Clears every store, token, counter and fault (the clock keeps running); the IdP keeps its people, clients and sessions. */
  reset(): void;
  /** Moves simulated time forward; returns the new simulated now (epoch ms). */
  advanceClock(ms: number): number;
  now(): number;
  /** Live settings: changes apply to the next request. */
  readonly settings: SandboxSettings;
}

export interface ControlParts {
  seed: string;
  clock: SimClock;
  faults: FaultInjector;
  counters: SandboxCounters;
  authority: AuthoritySimulator;
  settings: SandboxSettings;
  sms: { list(filter?: { phoneNumber?: string }): RecordedSms[]; clear(): void };
  smtp: { list(filter?: { to?: string }): RecordedMail[]; clear(): void };
  robots: Record<RobotPlatform, RobotStore>;
  idp: SandboxIdp;
  baiwang: { devices: BaiwangDevicesService; methodCalls: ReadonlyMap<string, number> };
  /** Other per-platform stores (tokens, uploads, orders, nonces). */
  resets: Array<() => void>;
}

export function createSandboxControl(parts: ControlParts): SandboxControl {
  const { clock, faults, counters, authority } = parts;
  return {
    settings: parts.settings,
    setFaults: (target, spec) => faults.set(target, spec),
    clearFaults: (target) => faults.clear(target),
    faults: () => faults.all(),
    seedRecords: (items) => authority.seed(items),
    generateRecords: (spec) => authority.generate(spec),
    authorityRecord: (key) => {
      const record = authority.repository.get(key);
      if (!record) return null;
      const lost = isLost(record);
      return {
        invoice: toView(record),
        source: record.source,
        uploadId: record.uploadId,
        acceptedAt: new Date(record.acceptedAtMs).toISOString(),
        visibleAt: lost ? null : new Date(record.visibleAtMs).toISOString(),
        visible: !lost && record.visibleAtMs <= clock.now(),
        neverVisible: lost,
      };
    },
    plantReceivedInvoices: (input) => plantReceived(authority, input),
    setAuthorityInvoiceStatus: (key, status) => setInvoiceStatus(authority, key, status),
    setClearCard: (seed) => authority.clearCards.set(seed),
    hostBaiwangDevice: (spec) => parts.baiwang.devices.host(spec),
    baiwangDevices: () => parts.baiwang.devices.list(),
    forceRedFormState: (formId, state) => authority.redForms.force(formId, state),
    actOnRedForm: (formId, party, action) => authority.redForms.actAs(formId, party, action),
    state: () => {
      const targets = Object.fromEntries(SANDBOX_TARGETS.map((t) => [t, counters.snapshot(t)])) as Record<
        SandboxTarget,
        TargetCounters
      >;
      return {
        now: new Date(clock.now()).toISOString(),
        timeScale: clock.scale,
        seed: parts.seed,
        ...targets,
        authority: { ...targets.authority, store: authority.stats() },
        baiwang: {
          ...targets.baiwang,
          methods: Object.fromEntries(parts.baiwang.methodCalls),
          devices: parts.baiwang.devices.list(),
        },
        sms: { ...targets.sms, messages: parts.sms.list().length },
        smtp: { ...targets.smtp, messages: parts.smtp.list().length },
        wecom: { ...targets.wecom, messages: parts.robots.wecom.list().length },
        dingtalk: { ...targets.dingtalk, messages: parts.robots.dingtalk.list().length },
        feishu: { ...targets.feishu, messages: parts.robots.feishu.list().length },
      };
    },
    upsertIdpPerson: (spec) => parts.idp.upsertPerson(spec),
    idpPeople: () => parts.idp.listPeople(),
    registerIdpClient: (spec) => parts.idp.registerClient(spec),
    idpClients: () => parts.idp.clients.list(),
    sms: (filter) => parts.sms.list(filter),
    mail: (filter) => parts.smtp.list(filter),
    robots: (platform, filter) => parts.robots[platform].list(filter),
    reset: () => {
      faults.reset();
      counters.reset();
      authority.reset();
      parts.sms.clear();
      parts.smtp.clear();
      ROBOT_PLATFORMS.forEach((platform) => parts.robots[platform].clear());
      parts.resets.forEach((reset) => reset());
    },
    advanceClock: (ms) => {
      clock.advance(ms);
      return clock.now();
    },
    now: () => clock.now(),
  };
}

// A realistic enterprise for the demo and the end-to-end suite: taxpayers (legal entities with their own tax number),
// their branches, the invoicing devices of each branch, and the finance staff responsible for them. Deterministic:
// the same scale gives the same enterprise.
import { withUsccCheckDigit } from '@lib/domain';

export type Platform = 'baiwang' | 'nuonuo';

export interface Taxpayer {
  index: number;
  taxNo: string;
  name: string;
  city: string;
  /** Third-party platforms the taxpayer's invoices must also reach (the authority always). */
  platforms: Platform[];
  allowFailover: boolean;
  /**
   * Has a Nuonuo account. Since issue 16 Nuonuo is a query channel, never a route (its API only issues new invoices), so
   * such a taxpayer is routed to the authority alone; its month keeps the shape it had (no voids, red reason 02).
   */
  nuonuoAccount: boolean;
  voids: boolean;
}

export interface Branch {
  taxpayer: Taxpayer;
  branchId: string;
  name: string;
}

export interface Device {
  /** Position in the enterprise: keeps invoice numbers unique across devices. */
  index: number;
  branch: Branch;
  name: string;
  /** The device's number at the authority (机器编号); every hosted device has one. */
  deviceNo?: string;
  /** The platform that hosts the device (a cloud device): the product reports and clears it there. */
  hostedOn?: Platform;
  /** Offline invoices the hosted device holds and has not uploaded: its remote clear-card fails. */
  offlinePending?: number;
  /** Filled once registered with the gateway. */
  deviceId?: string;
  secret?: string;
}

export interface Recipient {
  name: string;
  email: string;
  mobile: string;
  language: 'zh-CN' | 'en';
  scopes: { taxNo: string; branchId: string; level: number }[];
  /** The team's group chat robot, by its name in the notifier's configuration. */
  robots?: Partial<Record<RobotChannel, string>>;
}

export const ROBOT_CHANNELS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotChannel = (typeof ROBOT_CHANNELS)[number];

export interface Enterprise {
  taxpayers: Taxpayer[];
  branches: Branch[];
  devices: Device[];
  recipients: Recipient[];
}

export interface EnterpriseScale {
  taxpayers: number;
  branches: number;
  devicesPerBranch: number;
}

const ENTITIES = [
  {
    base: '91440300MA5G2K8N1',
    name: '深圳前海星河科技有限公司',
    city: 'sz',
    platforms: ['baiwang'],
    failover: true,
  },
  {
    base: '91310115MA1H7C3P6',
    name: '上海浦东云帆贸易有限公司',
    city: 'sh',
    platforms: [],
    failover: false,
    nuonuoAccount: true,
  },
  { base: '91110108MA01R5T2X', name: '北京海淀启明软件有限公司', city: 'bj', platforms: [], failover: false },
] as const;
const DISTRICTS = [
  'futian',
  'nanshan',
  'luohu',
  'baoan',
  'longgang',
  'minhang',
  'xuhui',
  'jingan',
  'haidian',
  'chaoyang',
];

export function buildEnterprise(scale: EnterpriseScale): Enterprise {
  if (scale.taxpayers < 1 || scale.taxpayers > ENTITIES.length)
    throw new Error(`taxpayers must be 1..${ENTITIES.length}`);
  const taxpayers: Taxpayer[] = ENTITIES.slice(0, scale.taxpayers).map((e, index) => ({
    index,
    taxNo: withUsccCheckDigit(e.base),
    name: e.name,
    city: e.city,
    platforms: [...e.platforms],
    allowFailover: e.failover,
    nuonuoAccount: 'nuonuoAccount' in e,
    voids: !('nuonuoAccount' in e),
  }));
  const branches: Branch[] = Array.from({ length: scale.branches }, (_, i) => {
    const taxpayer = taxpayers[i % taxpayers.length];
    const n = Math.floor(i / taxpayers.length) + 1;
    const district = DISTRICTS[i % DISTRICTS.length];
    return {
      taxpayer,
      branchId: `${taxpayer.city}-${district}-${String(n).padStart(2, '0')}`,
      name: `${taxpayer.name.slice(0, 4)}第${n}分公司`,
    };
  });
  const devices: Device[] = branches.flatMap((branch, b) =>
    Array.from({ length: scale.devicesPerBranch }, (_, d) => ({
      index: b * scale.devicesPerBranch + d,
      branch,
      name: `${branch.branchId} 税控盘 ${d + 1}`,
    })),
  );
  return { taxpayers, branches, devices, recipients: recipientsOf(taxpayers, branches) };
}

/** A branch accountant per branch (level 1), a regional finance manager per taxpayer (2), the group tax team (3). */
function recipientsOf(taxpayers: Taxpayer[], branches: Branch[]): Recipient[] {
  const mobile = (n: number) => `139${String(10_000_000 + n).slice(-8)}`;
  const accountants = branches.map((b, i) => ({
    name: `会计 ${b.branchId}`,
    email: `acct.${b.branchId}@finance.example.cn`,
    mobile: mobile(1_000 + i),
    language: 'zh-CN' as const,
    scopes: [{ taxNo: b.taxpayer.taxNo, branchId: b.branchId, level: 1 }],
    // Each taxpayer's branches chat on another platform: WeCom, DingTalk, Feishu (the sandbox's development robot
    // `finance` of each, configured in the notifier by name).
    robots: { [ROBOT_CHANNELS[taxpayers.indexOf(b.taxpayer) % ROBOT_CHANNELS.length]]: 'finance' },
  }));
  const regional = taxpayers.map((t, i) => ({
    name: `区域财务 ${t.city}`,
    email: `finance.${t.city}@finance.example.cn`,
    mobile: mobile(2_000 + i),
    language: 'zh-CN' as const,
    scopes: [{ taxNo: t.taxNo, branchId: '*', level: 2 }],
  }));
  const group = {
    name: 'Group Tax',
    email: 'group.tax@finance.example.cn',
    mobile: mobile(3_000),
    language: 'en' as const,
    scopes: [{ taxNo: '*', branchId: '*', level: 3 }],
  };
  return [...accountants, ...regional, group];
}

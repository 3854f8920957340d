import { DEAD_LETTER_SCOPE } from '../use-cases/record-dead-letter/record-dead-letter.use-case';
import { Recipient, RoutingRule } from './routing.model';
import { FindingScope, route } from './routing.rules';

const at = new Date('2026-01-01T00:00:00Z');
const rule = (id: string, over: Partial<RoutingRule>): RoutingRule => ({
  id,
  findingType: null,
  minSeverity: 'info',
  channels: ['email'],
  level: 1,
  mode: 'immediate',
  priority: 0,
  createdAt: at,
  updatedAt: at,
  ...over,
});
const person = (id: string, scopes: Recipient['scopes']): Recipient => ({
  id,
  name: id,
  email: `${id}@x.cn`,
  mobile: '13800000000',
  language: 'zh-CN',
  quietHours: null,
  active: true,
  scopes,
  createdAt: at,
  updatedAt: at,
});
/** The seeded rules: three catch-alls by severity, and dead letters to group level by digest. */
const SEEDED = [
  rule('default-critical', { minSeverity: 'critical', channels: ['email', 'sms'] }),
  rule('default-warning', { minSeverity: 'warning' }),
  rule('default-info', { mode: 'digest' }),
  rule('default-dead-letter', { findingType: 'DEAD_LETTER', level: 3, mode: 'digest' }),
];
const PEOPLE = [
  person('sz-acct', [{ taxNo: 'T1', branchId: 'sz', level: 1 }]),
  person('t1-region', [{ taxNo: 'T1', branchId: '*', level: 2 }]),
  person('group', [{ taxNo: '*', branchId: '*', level: 3 }]),
  person('ops', [{ taxNo: '*', branchId: '*', level: 5 }]),
];
const sync = (type: 'SYNC_DEAD' | 'SYNC_REJECTED', severity: 'critical' | 'warning'): FindingScope => ({
  type,
  severity,
  taxNo: 'T1',
  branchId: null,
});
const told = (rules: RoutingRule[], scope: FindingScope) =>
  route(rules, PEOPLE, scope, 9).map((d) => `${d.recipient.id}:${d.channel}:L${d.level}`);

describe('routing of sync problems and dead letters', () => {
  it('tells the taxpayer-wide level about a sync problem (a result names no branch): dead by email and SMS', () => {
    expect(told(SEEDED, sync('SYNC_DEAD', 'critical'))).toEqual(['t1-region:email:L2', 't1-region:sms:L2']);
    expect(told(SEEDED, sync('SYNC_REJECTED', 'warning'))).toEqual(['t1-region:email:L2']);
  });

  it('lets a rule naming a sync type override the catch-alls', () => {
    const loud = rule('rejected-sms', {
      findingType: 'SYNC_REJECTED',
      minSeverity: 'warning',
      channels: ['sms'],
    });
    expect(told([...SEEDED, loud], sync('SYNC_REJECTED', 'warning'))).toEqual(['t1-region:sms:L2']);
    expect(told([...SEEDED, loud], sync('SYNC_DEAD', 'critical'))).toHaveLength(2);
  });

  it('sends dead letters to group level of taxpayer `*` only, as an email, whatever the taxpayers’ staff', () => {
    expect(told(SEEDED, DEAD_LETTER_SCOPE)).toEqual(['group:email:L3']);
  });

  it('routes dead letters to an operations scope when a rule says so', () => {
    const ops = rule('ops', {
      findingType: 'DEAD_LETTER',
      level: 5,
      channels: ['email', 'sms'],
      priority: 10,
    });
    expect(told([...SEEDED, ops], DEAD_LETTER_SCOPE)).toEqual(['ops:email:L5', 'ops:sms:L5']);
    // Without the seeded rule, the warning catch-all applies, from level 1 up to the first `*` recipient.
    expect(told(SEEDED.slice(0, 3), DEAD_LETTER_SCOPE)).toEqual(['group:email:L3']);
  });
});

import { Recipient, RoutingRule } from './routing.model';
import { firstStaffedLevel, isNotifiable, route, selectRule } from './routing.rules';

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
const person = (id: string, scopes: Recipient['scopes'], over: Partial<Recipient> = {}): Recipient => ({
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
  ...over,
});
const DEFAULTS = [
  rule('critical', { minSeverity: 'critical', channels: ['email', 'sms'] }),
  rule('warning', { minSeverity: 'warning' }),
  rule('info', { minSeverity: 'info', mode: 'digest' }),
];
const scope = (
  over: Partial<{ severity: 'info' | 'warning' | 'critical'; branchId: string | null }> = {},
) => ({
  type: 'MISSING_IN_AUTHORITY' as const,
  severity: 'warning' as const,
  taxNo: 'T1',
  branchId: 'sz',
  ...over,
});

describe('routing rules', () => {
  it('picks the strictest matching default by severity', () => {
    expect(selectRule(DEFAULTS, { type: 'AMOUNT_MISMATCH', severity: 'critical' })?.id).toBe('critical');
    expect(selectRule(DEFAULTS, { type: 'AMOUNT_MISMATCH', severity: 'warning' })?.id).toBe('warning');
    expect(selectRule(DEFAULTS, { type: 'AMOUNT_MISMATCH', severity: 'info' })?.id).toBe('info');
  });

  it('prefers priority, then a rule naming the type, over a catch-all', () => {
    const typed = rule('typed', {
      findingType: 'OFFLINE_LIMIT_NEAR',
      minSeverity: 'warning',
      channels: ['sms'],
    });
    expect(selectRule([...DEFAULTS, typed], { type: 'OFFLINE_LIMIT_NEAR', severity: 'critical' })?.id).toBe(
      'typed',
    );
    expect(selectRule([...DEFAULTS, typed], { type: 'AMOUNT_MISMATCH', severity: 'critical' })?.id).toBe(
      'critical',
    );
    const loud = rule('loud', { priority: 5 });
    expect(
      selectRule([...DEFAULTS, typed, loud], { type: 'OFFLINE_LIMIT_NEAR', severity: 'warning' })?.id,
    ).toBe('loud');
    expect(
      selectRule([rule('only-critical', { minSeverity: 'critical' })], {
        type: 'AMOUNT_MISMATCH',
        severity: 'info',
      }),
    ).toBeUndefined();
  });

  it('routes to the branch accountant, never to another branch, on the channels they have', () => {
    const people = [
      person('sz', [{ taxNo: 'T1', branchId: 'sz', level: 1 }]),
      person('gz', [{ taxNo: 'T1', branchId: 'gz', level: 1 }], { mobile: null }),
    ];
    expect(
      route(DEFAULTS, people, scope({ severity: 'critical' }), 3).map(
        (d) => `${d.recipient.id}:${d.channel}`,
      ),
    ).toEqual(['sz:email', 'sz:sms']);
    expect(
      route(DEFAULTS, people, scope({ severity: 'critical', branchId: 'gz' }), 3).map(
        (d) => `${d.recipient.id}:${d.channel}`,
      ),
    ).toEqual(['gz:email']);
    expect(route(DEFAULTS, people, scope({ severity: 'info' }), 3)).toEqual([
      expect.objectContaining({ channel: 'email', mode: 'digest' }),
    ]);
  });

  it('goes up a level when nobody is responsible at the rule level; wildcards and inactive people', () => {
    const people = [
      person('region', [{ taxNo: 'T1', branchId: '*', level: 2 }]),
      person('group', [{ taxNo: '*', branchId: '*', level: 3 }]),
      person('gone', [{ taxNo: 'T1', branchId: 'sz', level: 1 }], { active: false }),
    ];
    expect(firstStaffedLevel(people, scope(), 1, 3)).toBe(2);
    expect(firstStaffedLevel(people, scope({ branchId: null }), 1, 3)).toBe(2);
    expect(firstStaffedLevel(people, { ...scope(), taxNo: 'OTHER' }, 1, 3)).toBe(3);
    expect(firstStaffedLevel(people, { ...scope(), taxNo: 'OTHER' }, 1, 2)).toBeUndefined();
    expect(route(DEFAULTS, people, scope(), 3).map((d) => d.recipient.id)).toEqual(['region']);
  });

  it('notifies on (re)opened and escalated findings only', () => {
    expect(
      ['open', 'escalated', 'remediating', 'resolved', 'ignored'].filter((s) => isNotifiable(s as never)),
    ).toEqual(['open', 'escalated']);
  });

  it('notifies a correction (红冲) that a person must make, not a re-upload that fixes itself', () => {
    expect(isNotifiable('remediating', 'AMOUNT_MISMATCH')).toBe(true);
    expect(isNotifiable('remediating', 'STATUS_MISMATCH')).toBe(true);
    expect(isNotifiable('remediating', 'MISSING_IN_AUTHORITY')).toBe(false);
    expect(isNotifiable('resolved', 'AMOUNT_MISMATCH')).toBe(false);
  });
});

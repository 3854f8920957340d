import { isSyncProblem, isSyncSuccess, problemIdOf, syncAlertType, syncSeverity } from './sync-problem.model';

const result = {
  invoiceKey: '044031900111-12345678',
  target: 'authority',
  outcome: 'dead',
  requestId: 'R-1',
} as const;

describe('sync problems', () => {
  it('keys a problem by invoice, target, outcome and request id, short enough for the log filter', () => {
    const id = problemIdOf(result);
    expect(id).toMatch(/^sync-[0-9a-f]{24}$/);
    expect(problemIdOf({ ...result })).toBe(id);
    for (const change of [
      { requestId: 'R-2' },
      { outcome: 'rejected' as const },
      { target: 'baiwang' as const },
      { invoiceKey: '044031900111-12345679' },
    ]) {
      expect(problemIdOf({ ...result, ...change })).not.toBe(id);
    }
  });

  it('alerts on dead (critical) and rejected (warning) deliveries; accepted and relayed resolve them', () => {
    expect(['accepted', 'rejected', 'dead', 'relayed'].filter((o) => isSyncProblem(o as never))).toEqual([
      'rejected',
      'dead',
    ]);
    expect(['accepted', 'rejected', 'dead', 'relayed'].filter((o) => isSyncSuccess(o as never))).toEqual([
      'accepted',
      'relayed',
    ]);
    expect([syncAlertType('dead'), syncSeverity('dead')]).toEqual(['SYNC_DEAD', 'critical']);
    expect([syncAlertType('rejected'), syncSeverity('rejected')]).toEqual(['SYNC_REJECTED', 'warning']);
  });
});

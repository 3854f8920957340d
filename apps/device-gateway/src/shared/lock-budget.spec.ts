import { LockBudget } from './lock-budget';

const tick = () => new Promise((r) => setImmediate(r));

describe('LockBudget', () => {
  it('runs work up to the capacity at once, queues the rest first come first served', async () => {
    const budget = new LockBudget(1_000);
    const order: string[] = [];
    const gates: Record<string, () => void> = {};
    const job = (name: string, weight: number) =>
      budget.use(weight, () => {
        order.push(`start ${name}`);
        return new Promise<void>((resolve) => (gates[name] = resolve)).then(() => order.push(`end ${name}`));
      });
    const a = job('a', 600);
    const b = job('b', 600);
    const c = job('c', 100); // fits, but waits behind b: no starving of large batches
    await tick();
    expect(order).toEqual(['start a']);
    expect(budget.inUse).toBe(600);
    gates.a();
    await a;
    await tick();
    expect(order).toEqual(['start a', 'end a', 'start b', 'start c']);
    gates.b();
    gates.c();
    await Promise.all([b, c]);
    expect(budget.inUse).toBe(0);
  });

  it('caps a request larger than the whole budget instead of blocking forever, and releases on failure', async () => {
    const budget = new LockBudget(1_000);
    await expect(budget.use(5_000, async () => budget.inUse)).resolves.toBe(1_000);
    await expect(budget.use(10, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(budget.inUse).toBe(0);
  });
});

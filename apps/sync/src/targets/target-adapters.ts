import { InvoiceTargetAdapter, TargetName, TargetRegistry, targetRegistry } from '@lib/providers';

/** The adapters sync delivers through, one per target (tests register in-memory fakes), and the targets' roles. */
export class TargetAdapters {
  private readonly byTarget = new Map<TargetName, InvoiceTargetAdapter>();

  constructor(
    adapters: readonly InvoiceTargetAdapter[],
    readonly registry: TargetRegistry = targetRegistry,
  ) {
    for (const adapter of adapters) this.byTarget.set(adapter.target, adapter);
  }

  get(target: TargetName): InvoiceTargetAdapter | undefined {
    return this.byTarget.get(target);
  }

  /** A target without an adapter is never available: its deliveries wait (visible in the backlog). */
  isAvailable(target: TargetName): boolean {
    return this.byTarget.get(target)?.available ?? false;
  }

  targets(): TargetName[] {
    return [...this.byTarget.keys()];
  }

  isAuthority(target: TargetName): boolean {
    return this.registry.roleOf(target) === 'authority';
  }
}

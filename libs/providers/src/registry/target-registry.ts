import { ConfigError } from '@lib/common';
import type { AnyTargetDefinition, TargetRole } from './target-definition';

/**
 * The targets invoices can be delivered to, by name. Configuration, concurrency, adapters, routing validation and
 * failover are derived from it; exactly one target has the authority role.
 */
export class TargetRegistry {
  private readonly byName = new Map<string, AnyTargetDefinition>();

  constructor(definitions: readonly AnyTargetDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: AnyTargetDefinition): this {
    const clash = this.all().find((t) => t.name === definition.name || t.envPrefix === definition.envPrefix);
    if (clash)
      throw new ConfigError([`target ${definition.name}: name or env prefix already taken by ${clash.name}`]);
    if (definition.role === 'authority' && this.all().some((t) => t.role === 'authority'))
      throw new ConfigError([`target ${definition.name}: there is already an authority`]);
    this.byName.set(definition.name, definition);
    return this;
  }

  all(): AnyTargetDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): AnyTargetDefinition | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  roleOf(name: string): TargetRole | undefined {
    return this.byName.get(name)?.role;
  }

  /** The name of the one target every invoice must reach. */
  authority(): string {
    const authority = this.all().find((t) => t.role === 'authority');
    if (!authority) throw new ConfigError(['no target with the authority role is registered']);
    return authority.name;
  }

  /** Platforms invoices can be delivered to (routing, failover), in registration order; query targets are not. */
  platforms(): string[] {
    return this.all()
      .filter((t) => t.role === 'platform')
      .map((t) => t.name);
  }

  isPlatform(name: string): boolean {
    return this.roleOf(name) === 'platform';
  }

  /** A registered target that is read only: routing to it is refused with PLATFORM_QUERY_ONLY. */
  isQueryOnly(name: string): boolean {
    return this.roleOf(name) === 'query';
  }

  isTarget(name: string): boolean {
    return this.byName.has(name);
  }
}

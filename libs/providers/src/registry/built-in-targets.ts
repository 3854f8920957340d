import { authorityTarget } from '../authority/authority.target';
import { baiwangTarget } from '../baiwang/baiwang.target';
import { nuonuoTarget } from '../nuonuo/nuonuo.target';
import { TargetRegistry } from './target-registry';
import type { AnyTargetDefinition } from './target-definition';

/** The targets this code base ships (a vendor's file is its whole definition; this list only loads it). */
export const BUILT_IN_TARGETS = [authorityTarget, baiwangTarget, nuonuoTarget] as const;

/** The process's registry: the built-in targets and any registered with `registerTarget`. */
export const targetRegistry = new TargetRegistry(BUILT_IN_TARGETS);

/** Adds a target (a plug-in, or a test's fake) to the process's registry, before configuration is loaded. */
export function registerTarget(definition: AnyTargetDefinition): void {
  targetRegistry.register(definition);
}

import { Logger } from '@nestjs/common';

/**
 * Where the reasons of failed readiness checks go: /readyz answers only a status per dependency (its body is open to
 * anyone who reaches the pod, and an error text can name hosts, users or addresses), so the reason is logged here,
 * once when a dependency goes down or its reason changes and once when it answers again, not at every probe.
 */
export class ReadinessLog {
  private readonly logger = new Logger('Readiness');
  private readonly last = new Map<string, string | undefined>();

  record(check: string, required: boolean, problem: string | undefined): void {
    const before = this.last.get(check);
    this.last.set(check, problem);
    if (problem === before) return;
    if (problem !== undefined)
      this.logger.warn({ check, required, reason: problem }, `readiness check ${check} fails: ${problem}`);
    else if (before !== undefined)
      this.logger.log({ check, required }, `readiness check ${check} answers again`);
  }
}

import type { Request, RequestHandler, Response } from 'express';
import type { SandboxCounters } from '../core/counters';
import type { SandboxTarget } from './fault.schema';
import type { FaultInjector } from './fault-injector';

/** How a target writes its own error bodies (every platform has its own envelope). */
export interface GateRenderers {
  outage(res: Response, retryAfterSeconds: number): void;
  rateLimited(res: Response, retryAfterSeconds: number): void;
  error(res: Response, status: number): void;
}

export type OperationResolver = string | ((req: Request) => string);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Entry middleware of every simulated route: counts the request, then applies the target's injected
 * faults (outage, rate limit, hang, latency, 5xx) before the real handler runs. The resolved operation
 * name is left in `res.locals.operation` for the upload-level faults.
 */
export function createFaultGate(
  target: SandboxTarget,
  faults: FaultInjector,
  counters: SandboxCounters,
  renderers: GateRenderers,
): (operation: OperationResolver) => RequestHandler {
  return (operation) => (req, res, next) => {
    const op = typeof operation === 'string' ? operation : operation(req);
    res.locals.operation = op;
    const stats = counters.of(target);
    stats.received += 1;
    const decision = faults.decide(target, op);
    switch (decision.kind) {
      case 'outage':
        stats.faults.outages += 1;
        return renderers.outage(res, decision.retryAfterSeconds);
      case 'rate-limited':
        stats.faults.rateLimited += 1;
        return renderers.rateLimited(res, decision.retryAfterSeconds);
      case 'hang':
        stats.faults.hangs += 1;
        return undefined;
      case 'error':
      case 'pass': {
        const proceed = (): void => {
          if (decision.kind === 'error') {
            stats.faults.errors += 1;
            renderers.error(res, decision.status);
          } else next();
        };
        if (decision.delayMs <= 0) return proceed();
        stats.faults.latency += 1;
        void sleep(decision.delayMs).then(proceed);
        return undefined;
      }
    }
  };
}

/** Answers with the lost-response fault: the work is done, the client sees a reset connection. */
export function loseResponse(req: Request, res: Response): void {
  res.socket?.destroy();
  req.socket.destroy();
}

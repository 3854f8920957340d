import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter replaces unknown errors with a generic "Internal server error" object,
 * which would hide whether a failure is poison, transient or an outage. This filter hands the
 * original error back to the consumer runner, which decides (retry, wait, or DLQ).
 */
@Catch()
export class RethrowRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

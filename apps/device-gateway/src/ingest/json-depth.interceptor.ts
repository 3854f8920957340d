import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { AppError } from '@lib/common';
import { DeviceRequest } from '../auth/device-principal';
import { exceedsJsonDepth } from './json-depth';
import { GatewayErrorCode } from '../gateway-error-codes';

/** Our bodies nest 6 levels at most ({invoices: [{invoice: {lines: [{...}]}}]}); anything near 16 is not a device. */
export const MAX_JSON_DEPTH = 16;

/** Refuses absurdly nested JSON with 400 JSON_TOO_DEEP before any code walks it (after authentication). */
@Injectable()
export class JsonDepthInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const raw = context.switchToHttp().getRequest<DeviceRequest>().rawBody;
    if (raw && exceedsJsonDepth(raw, MAX_JSON_DEPTH)) {
      throw new AppError(
        GatewayErrorCode.JSON_TOO_DEEP,
        'validation',
        `the body nests deeper than ${MAX_JSON_DEPTH} levels`,
      );
    }
    return next.handle();
  }
}

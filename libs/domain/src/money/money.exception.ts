import { DomainException } from '../common/domain.exception';

export type MoneyErrorCode = 'MONEY_NOT_STRING' | 'MONEY_FORMAT' | 'MONEY_TOO_PRECISE' | 'MONEY_OUT_OF_RANGE';

export class MoneyFormatException extends DomainException {
  constructor(
    override readonly code: MoneyErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

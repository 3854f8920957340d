/**
 * Base of every error thrown by `@lib/domain`. The code is stable (UPPER_SNAKE) so that callers can map it to an HTTP
 * status or a Kafka retry decision; domain errors are about the input, so they are never worth retrying as they are.
 */
export class DomainException extends Error {
  readonly retriable = false;

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

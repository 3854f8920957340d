import { AppError } from '@lib/common';
import { NotifierErrorCode } from './notifier-error-codes';

/** The notifier's "no such thing" answers (404), one wording whether the thing is unknown or outside the caller's branches. */
export function recipientNotFound(id: string): AppError {
  return new AppError(NotifierErrorCode.RECIPIENT_NOT_FOUND, 'not_found', `recipient ${id} does not exist`);
}

export function ruleNotFound(id: string): AppError {
  return new AppError(NotifierErrorCode.RULE_NOT_FOUND, 'not_found', `rule ${id} does not exist`);
}

export function notificationNotFound(id: string): AppError {
  return new AppError(
    NotifierErrorCode.NOTIFICATION_NOT_FOUND,
    'not_found',
    `notification ${id} does not exist`,
  );
}

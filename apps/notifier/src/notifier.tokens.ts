/** The parsed NotifierConfig. */
export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

/** Consumer group of the notifier's Kafka handlers (reconcile.findings.v1, sync.results.v1). */
export const NOTIFIER_CONSUMER_GROUP = 'notifier';

/** Consumer group of the dead-letter watcher (every `<topic>.dlq`). */
export const NOTIFIER_DLQ_CONSUMER_GROUP = 'notifier-dlq';

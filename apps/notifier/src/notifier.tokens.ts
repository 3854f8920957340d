/** The parsed NotifierConfig. */
export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

/** Consumer group of the notifier's Kafka handler (reconcile.findings.v1). */
export const NOTIFIER_CONSUMER_GROUP = 'notifier';

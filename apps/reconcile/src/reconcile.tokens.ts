/** The parsed ReconcileConfig. */
export const RECONCILE_CONFIG = Symbol('RECONCILE_CONFIG');

/** Consumer group of reconcile's Kafka handlers (invoice.events.v1, sync.results.v1, device.events.v1). */
export const RECONCILE_CONSUMER_GROUP = 'reconcile';

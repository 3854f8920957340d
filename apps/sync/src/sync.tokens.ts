/** The parsed SyncConfig, for providers that read delivery settings. */
export const SYNC_CONFIG = Symbol('SYNC_CONFIG');

/** Consumer group of sync's Kafka handlers (invoice.events.v1, sync.commands.v1). */
export const SYNC_CONSUMER_GROUP = 'sync';

import { CreateConsoleSessions1766100000000 } from './create-sessions.migration';

/** The console's own migrations, in order. */
export const CONSOLE_MIGRATIONS = [CreateConsoleSessions1766100000000];

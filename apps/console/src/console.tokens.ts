export const CONSOLE_CONFIG = Symbol('CONSOLE_CONFIG');
/** Cookie of the signed-in session (its random id). */
export const SESSION_COOKIE = 'console_session';
/** Cookie of a login under way (random id of its login_states row), only sent back to /auth/. */
export const LOGIN_COOKIE = 'console_login';

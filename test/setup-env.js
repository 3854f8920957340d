// Tests run in UTC so that any Asia/Shanghai computation must be explicit in the code under test.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'error';

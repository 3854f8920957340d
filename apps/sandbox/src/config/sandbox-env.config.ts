import { z } from 'zod';
import { DEFAULT_SMS_TEMPLATES, DEV_CREDENTIALS, type SandboxOptions } from '@lib/simulators';
import { idpEnvShape, idpOptionsFromEnv } from './idp-env.config';

/**
 * The simulators' options plus the port of the process's control API (which also serves the IdP) and the public
 * origin of that port (the IdP's issuer is `<publicUrl>/idp`; default `http://<host>:<controlPort>`).
 */
export type SandboxProcessOptions = SandboxOptions & { controlPort: number; publicUrl?: string };

const MAX_CLOCK_OFFSET_MS = 20 * 366 * 86_400_000;
const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const optionalInt = z.coerce.number().int().min(0).optional();

/** Environment of `main.ts`. Every variable has a development default; nothing here is a real secret. */
const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  SANDBOX_ALLOW_PRODUCTION: z.string().optional(),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_CONTROL_PORT: port(7100),
  SANDBOX_AUTHORITY_PORT: port(7101),
  SANDBOX_BAIWANG_PORT: port(7102),
  SANDBOX_NUONUO_PORT: port(7103),
  SANDBOX_SMS_PORT: port(7104),
  SANDBOX_SMTP_PORT: port(7125),
  SANDBOX_SEED: z.string().default('sandbox'),
  SANDBOX_TIME_SCALE: z.coerce.number().positive().default(1),
  CLOCK_OFFSET_MS: z.coerce.number().int().min(-MAX_CLOCK_OFFSET_MS).max(MAX_CLOCK_OFFSET_MS).default(0),
  SANDBOX_VISIBILITY_LAG_MS: optionalInt,
  SANDBOX_QUERY_QUOTA: optionalInt,
  SANDBOX_AUTHORITY_APP_ID: z.string().default(DEV_CREDENTIALS.authority.appId),
  SANDBOX_AUTHORITY_APP_SECRET: z.string().default(DEV_CREDENTIALS.authority.appSecret),
  SANDBOX_BAIWANG_APP_KEY: z.string().default(DEV_CREDENTIALS.baiwang.appKey),
  SANDBOX_BAIWANG_APP_SECRET: z.string().default(DEV_CREDENTIALS.baiwang.appSecret),
  SANDBOX_BAIWANG_USERNAME: z.string().default(DEV_CREDENTIALS.baiwang.username),
  SANDBOX_BAIWANG_PASSWORD: z.string().default(DEV_CREDENTIALS.baiwang.password),
  SANDBOX_BAIWANG_TOKEN_TTL_MS: optionalInt,
  SANDBOX_NUONUO_APP_KEY: z.string().default(DEV_CREDENTIALS.nuonuo.appKey),
  SANDBOX_NUONUO_APP_SECRET: z.string().default(DEV_CREDENTIALS.nuonuo.appSecret),
  SANDBOX_SMS_ACCESS_KEY_ID: z.string().default(DEV_CREDENTIALS.sms.id),
  SANDBOX_SMS_ACCESS_KEY_SECRET: z.string().default(DEV_CREDENTIALS.sms.secret),
  SANDBOX_SMS_SIGN_NAMES: z.string().default('发票同步'),
  /** JSON array of {code, content}. */
  SANDBOX_SMS_TEMPLATES: z.string().optional(),
  SANDBOX_SMTP_USER: z.string().optional(),
  SANDBOX_SMTP_PASS: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  ...idpEnvShape,
});

const templatesSchema = z.array(z.object({ code: z.string().min(1), content: z.string().min(1) }));

/** Parses the environment (fails fast with a readable message) into sandbox options. */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): SandboxProcessOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid sandbox environment:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && e.SANDBOX_ALLOW_PRODUCTION !== 'yes-i-know-this-is-a-simulator') {
    throw new Error(
      'the sandbox simulates external systems for tests and demos; it refuses to start with NODE_ENV=production',
    );
  }
  const templates = e.SANDBOX_SMS_TEMPLATES
    ? templatesSchema.parse(JSON.parse(e.SANDBOX_SMS_TEMPLATES))
    : DEFAULT_SMS_TEMPLATES;
  return {
    host: e.SANDBOX_HOST,
    controlPort: e.SANDBOX_CONTROL_PORT,
    publicUrl: e.SANDBOX_PUBLIC_URL,
    ports: {
      authority: e.SANDBOX_AUTHORITY_PORT,
      baiwang: e.SANDBOX_BAIWANG_PORT,
      nuonuo: e.SANDBOX_NUONUO_PORT,
      sms: e.SANDBOX_SMS_PORT,
      smtp: e.SANDBOX_SMTP_PORT,
    },
    seed: e.SANDBOX_SEED,
    timeScale: e.SANDBOX_TIME_SCALE,
    clockOffsetMs: e.CLOCK_OFFSET_MS,
    logLevel: e.LOG_LEVEL,
    authority: {
      visibilityLagMs: e.SANDBOX_VISIBILITY_LAG_MS,
      dailyQueryQuota: e.SANDBOX_QUERY_QUOTA,
      credentials: [
        { appId: e.SANDBOX_AUTHORITY_APP_ID, appSecret: e.SANDBOX_AUTHORITY_APP_SECRET, taxNos: '*' },
      ],
    },
    baiwang: {
      accessTokenTtlMs: e.SANDBOX_BAIWANG_TOKEN_TTL_MS,
      apps: [
        {
          appKey: e.SANDBOX_BAIWANG_APP_KEY,
          appSecret: e.SANDBOX_BAIWANG_APP_SECRET,
          username: e.SANDBOX_BAIWANG_USERNAME,
          password: e.SANDBOX_BAIWANG_PASSWORD,
          taxNos: '*',
        },
      ],
    },
    nuonuo: {
      apps: [{ appKey: e.SANDBOX_NUONUO_APP_KEY, appSecret: e.SANDBOX_NUONUO_APP_SECRET, taxNos: '*' }],
    },
    sms: {
      accessKeys: [{ id: e.SANDBOX_SMS_ACCESS_KEY_ID, secret: e.SANDBOX_SMS_ACCESS_KEY_SECRET }],
      signNames: e.SANDBOX_SMS_SIGN_NAMES.split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      templates,
    },
    smtp: {
      auth:
        e.SANDBOX_SMTP_USER && e.SANDBOX_SMTP_PASS
          ? { user: e.SANDBOX_SMTP_USER, pass: e.SANDBOX_SMTP_PASS }
          : null,
    },
    idp: idpOptionsFromEnv(e),
  };
}

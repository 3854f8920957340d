import express, { type Express, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  errorHandler,
  generateSpecSchema,
  hostedDeviceSpecSchema,
  idpClientSchema,
  idpPersonSchema,
  param,
  PERIOD_PATTERN,
  plantReceivedSchema,
  receivedStatusSchema,
  requestLog,
  ROBOT_PLATFORMS,
  SANDBOX_TARGETS,
  setFaultsRequestSchema,
  type SandboxControl,
} from '@lib/simulators';

const seedSchema = z.object({
  records: z
    .array(
      z.object({
        invoice: z.unknown(),
        status: z.enum(['NORMAL', 'VOIDED', 'RED_REVERSED']).optional(),
        visible: z.boolean().optional(),
        visibilityLagMs: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
  generate: z.union([generateSpecSchema, z.array(generateSpecSchema)]).optional(),
});
const clearCardSchema = z.object({
  taxNo: z.string().min(1),
  deviceNo: z.string().min(1),
  period: z.string().regex(PERIOD_PATTERN),
  status: z.enum(['NOT_CLEARED', 'CLEARED', 'FAILED']),
  clearedAt: z.string().nullish(),
  errorCode: z.string().nullish(),
  errorMessage: z.string().nullish(),
});
const settingsSchema = z.object({
  authority: z
    .object({
      visibilityLagMs: z.number().int().min(0),
      dailyQueryQuota: z.number().int().min(0),
      redFormConfirmMs: z.number().int().positive(),
    })
    .partial()
    .optional(),
  nuonuo: z
    .object({
      issuingMs: z.number().int().min(0),
      sealingMs: z.number().int().min(0),
      queryLagMs: z.number().int().min(0),
      serialDailyLimit: z.number().int().min(0),
      ttlMs: z.number().int().positive(),
    })
    .partial()
    .optional(),
  baiwang: z
    .object({
      accessTokenTtlMs: z.number().int().positive(),
      refreshTokenTtlMs: z.number().int().positive(),
      deviceCallLimit: z.number().int().min(0),
      deviceCallWindowMs: z.number().int().positive(),
    })
    .partial()
    .optional(),
});

function invalid(res: Response, error: z.ZodError): void {
  res
    .status(400)
    .json({ error: { code: 'INVALID_REQUEST', message: z.prettifyError(error), details: error.issues } });
}

/**
 * Control API of the sandbox (`/__sandbox/*`): unauthenticated, loopback only, never in production. The identity
 * provider, when given, is served under `/idp`, and the group robots (WeCom, DingTalk, Feishu webhooks) under
 * `/robots`, both ahead of the JSON body parser (they read their own bodies; the robots count their bytes).
 */
export function createControlApp(
  control: SandboxControl,
  info: () => Record<string, unknown>,
  logger: Logger,
  idp?: RequestHandler,
  robots?: RequestHandler,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestLog(logger));
  if (idp) app.use('/idp', idp);
  if (robots) app.use('/robots', robots);
  app.use(express.json({ limit: '200mb' }));
  const base = '/__sandbox';

  app.get(`${base}/health`, (_req, res) => void res.json({ status: 'ok', ...info() }));
  app.get(`${base}/state`, (_req, res) => void res.json(control.state()));
  app.get(`${base}/faults`, (_req, res) => void res.json(control.faults()));
  app.post(`${base}/faults`, (req, res) => {
    const parsed = setFaultsRequestSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const { target, ...spec } = parsed.data;
    res.json({ target, faults: control.setFaults(target, spec) });
  });
  app.delete(`${base}/faults`, (req, res) => {
    const target = req.query.target ? String(req.query.target) : undefined;
    if (target && !(SANDBOX_TARGETS as readonly string[]).includes(target)) {
      return void res.status(400).json({ error: { code: 'UNKNOWN_TARGET', message: target } });
    }
    control.clearFaults(target as (typeof SANDBOX_TARGETS)[number] | undefined);
    res.status(204).end();
  });
  app.post(`${base}/authority/records`, async (req, res) => {
    const parsed = seedSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const specs = parsed.data.generate === undefined ? [] : [parsed.data.generate].flat();
    const seeded = parsed.data.records ? control.seedRecords(parsed.data.records) : null;
    const generated = [];
    for (const spec of specs) generated.push(await control.generateRecords(spec));
    res.status(seeded?.errors.length ? 207 : 201).json({ seeded, generated });
  });
  app.post(`${base}/authority/received-invoices`, (req, res) => {
    const parsed = plantReceivedSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const planted = control.plantReceivedInvoices(parsed.data);
    res.status(planted.errors.length ? 207 : 201).json(planted);
  });
  app.post(`${base}/authority/invoices/:key/status`, (req, res) => {
    const parsed = receivedStatusSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const invoice = control.setAuthorityInvoiceStatus(param(req, 'key'), parsed.data.status);
    if (!invoice) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such invoice' } });
    res.json({ invoice });
  });
  app.get(`${base}/authority/invoices/:key`, (req, res) => {
    const record = control.authorityRecord(param(req, 'key'));
    if (!record)
      return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such invoice' } });
    res.json(record);
  });
  app.post(`${base}/authority/clear-card`, (req, res) => {
    const parsed = z
      .union([clearCardSchema, z.object({ items: z.array(clearCardSchema) })])
      .safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const items = 'items' in parsed.data ? parsed.data.items : [parsed.data];
    res.json({ items: items.map((item) => control.setClearCard(item)) });
  });
  app.get(`${base}/baiwang/devices`, (_req, res) => void res.json({ items: control.baiwangDevices() }));
  app.post(`${base}/baiwang/devices`, (req, res) => {
    const parsed = z
      .union([hostedDeviceSpecSchema, z.object({ items: z.array(hostedDeviceSpecSchema) })])
      .safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const items = 'items' in parsed.data ? parsed.data.items : [parsed.data];
    res.status(201).json({ items: items.map((item) => control.hostBaiwangDevice(item)) });
  });
  app.post(`${base}/authority/red-forms/:formId/state`, (req, res) => {
    const parsed = z
      .object({ state: z.enum(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10']) })
      .safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const form = control.forceRedFormState(param(req, 'formId'), parsed.data.state);
    if (!form) return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such form' } });
    res.json(form);
  });
  // The form's party acts under the authority's own rules (only the counterparty confirms or rejects): 200 with the form,
  // 404 unknown form, 409 with the authority's code when the rules refuse.
  app.post(`${base}/authority/red-forms/:formId/actions`, (req, res) => {
    const parsed = z
      .object({ party: z.enum(['seller', 'buyer']), action: z.enum(['confirm', 'reject', 'revoke']) })
      .safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    const outcome = control.actOnRedForm(param(req, 'formId'), parsed.data.party, parsed.data.action);
    if (outcome.ok) return void res.json(outcome.form);
    const status = outcome.code === '3101' ? 404 : 409;
    res.status(status).json({ error: { code: `RED_FORM_${outcome.code}`, message: outcome.message } });
  });
  app.get(`${base}/sms`, (req, res) => {
    res.json({ items: control.sms({ phoneNumber: req.query.phone ? String(req.query.phone) : undefined }) });
  });
  app.get(`${base}/mail`, (req, res) => {
    res.json({ items: control.mail({ to: req.query.to ? String(req.query.to) : undefined }) });
  });
  app.get(`${base}/robots/:platform`, (req, res) => {
    const platform = param(req, 'platform');
    if (!(ROBOT_PLATFORMS as readonly string[]).includes(platform)) {
      return void res.status(404).json({ error: { code: 'UNKNOWN_ROBOT_PLATFORM', message: platform } });
    }
    const robot = req.query.robot ? String(req.query.robot) : undefined;
    res.json({ items: control.robots(platform as (typeof ROBOT_PLATFORMS)[number], { robot }) });
  });
  app.get(`${base}/idp/users`, async (_req, res) => void res.json({ items: await control.idpPeople() }));
  app.post(`${base}/idp/users`, async (req, res) => {
    const parsed = idpPersonSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    res.status(201).json(await control.upsertIdpPerson(parsed.data));
  });
  app.get(`${base}/idp/clients`, (_req, res) => void res.json({ items: control.idpClients() }));
  app.post(`${base}/idp/clients`, (req, res) => {
    const parsed = idpClientSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    res.status(201).json(control.registerIdpClient(parsed.data));
  });
  app.post(`${base}/reset`, (_req, res) => {
    control.reset();
    res.status(204).end();
  });
  app.get(`${base}/clock`, (_req, res) => void res.json(clockView(control)));
  app.post(`${base}/clock`, (req, res) => {
    const parsed = z.object({ advanceMs: z.number().int().min(0) }).safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    control.advanceClock(parsed.data.advanceMs);
    res.json(clockView(control));
  });
  app.get(`${base}/settings`, (_req, res) => void res.json(publicSettings(control)));
  app.post(`${base}/settings`, (req, res) => {
    const parsed = settingsSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, parsed.error);
    Object.assign(control.settings.authority, parsed.data.authority);
    Object.assign(control.settings.nuonuo, parsed.data.nuonuo);
    Object.assign(control.settings.baiwang, parsed.data.baiwang);
    res.json(publicSettings(control));
  });
  app.use(
    (_req, res) =>
      void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such control endpoint' } }),
  );
  app.use(
    errorHandler(
      logger,
      (res, status, message) => void res.status(status).json({ error: { code: 'CONTROL_ERROR', message } }),
    ),
  );
  return app;
}

function clockView(control: SandboxControl): { now: string; nowMs: number } {
  const now = control.now();
  return { now: new Date(now).toISOString(), nowMs: now };
}

/** Settings without secrets. */
function publicSettings(control: SandboxControl): Record<string, unknown> {
  const { authority, baiwang, nuonuo, sms } = control.settings;
  return { authority, baiwang, nuonuo, sms: { signNames: sms.signNames, templates: sms.templates } };
}

import {
  CN_MOBILE_PATTERN,
  NonceReplayGuard,
  SMS_CODES,
  smsSegmentCount,
  verifyAliyunSign,
} from '@lib/protocols';
import type { SandboxCounters } from '../core/counters';

export interface SmsTemplate {
  code: string;
  /** Content with `${name}` placeholders filled from TemplateParam. */
  content: string;
}

export interface SmsSettings {
  accessKeys: Array<{ id: string; secret: string }>;
  signNames: string[];
  templates: SmsTemplate[];
}

export interface RecordedSms {
  bizId: string;
  phoneNumber: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  content: string;
  segments: number;
  outId: string | null;
  accessKeyId: string;
  receivedAt: string;
}

export interface SmsAnswer {
  httpStatus: number;
  code: string;
  message: string;
  bizId?: string;
}

const REQUIRED = [
  'AccessKeyId',
  'Action',
  'Signature',
  'SignatureNonce',
  'Timestamp',
  'PhoneNumbers',
  'SignName',
  'TemplateCode',
];
const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;

/**
 * Aliyun-style SendSms: verifies the access key, the HMAC-SHA1 signature over the sorted parameters, the
 * timestamp (±15 min, real clock) and nonce reuse; then sign name, template and its parameters, and every
 * phone number. OutId makes a send idempotent. Each recipient's message is recorded with its segment count.
 */
export class SmsGatewayService {
  private messages: RecordedSms[] = [];
  private byOutId = new Map<string, string>();
  private nonces = new NonceReplayGuard(2 * TIMESTAMP_WINDOW_MS);
  private sequence = 0;

  constructor(
    private readonly settings: () => SmsSettings,
    private readonly counters: SandboxCounters,
    private readonly realNow: () => number,
  ) {}

  send(httpMethod: string, params: Record<string, string>): SmsAnswer {
    const stats = this.counters.of('sms');
    const reject = (httpStatus: number, code: string, message: string, auth = false): SmsAnswer => {
      if (auth) stats.authFailures += 1;
      else stats.rejected += 1;
      return { httpStatus, code, message };
    };
    const missing = REQUIRED.filter((name) => !params[name]);
    if (missing.length > 0) return reject(400, SMS_CODES.MISSING_PARAMETER, `missing ${missing.join(',')}`);
    const key = this.settings().accessKeys.find((k) => k.id === params.AccessKeyId);
    if (!key) return reject(404, SMS_CODES.INVALID_ACCESS_KEY, 'Specified access key is not found.', true);
    const timestamp = Date.parse(params.Timestamp);
    if (!Number.isFinite(timestamp) || Math.abs(this.realNow() - timestamp) > TIMESTAMP_WINDOW_MS) {
      return reject(400, SMS_CODES.TIMESTAMP_EXPIRED, 'Specified time stamp or date value is expired.', true);
    }
    if (!verifyAliyunSign(key.secret, httpMethod, params)) {
      stats.signatureFailures += 1;
      return {
        httpStatus: 400,
        code: SMS_CODES.SIGNATURE_MISMATCH,
        message: 'Specified signature is not matched with our calculation.',
      };
    }
    if (!this.nonces.accept(key.id, params.SignatureNonce, this.realNow())) {
      return reject(400, SMS_CODES.NONCE_USED, 'Specified signature nonce was used already.', true);
    }
    if (params.OutId && this.byOutId.has(`${key.id}|${params.OutId}`)) {
      stats.duplicates += 1;
      return {
        httpStatus: 200,
        code: SMS_CODES.OK,
        message: 'OK',
        bizId: this.byOutId.get(`${key.id}|${params.OutId}`),
      };
    }
    return this.deliver(key.id, params, reject);
  }

  list(filter: { phoneNumber?: string } = {}): RecordedSms[] {
    return filter.phoneNumber
      ? this.messages.filter((m) => m.phoneNumber === filter.phoneNumber)
      : [...this.messages];
  }

  clear(): void {
    this.messages = [];
    this.byOutId = new Map();
    this.nonces.clear();
    this.sequence = 0;
  }

  private deliver(
    accessKeyId: string,
    params: Record<string, string>,
    reject: (httpStatus: number, code: string, message: string) => SmsAnswer,
  ): SmsAnswer {
    const { signNames, templates } = this.settings();
    if (!signNames.includes(params.SignName))
      return reject(200, SMS_CODES.SIGN_NAME_ILLEGAL, '签名不合法(不存在或被拉黑)');
    const template = templates.find((t) => t.code === params.TemplateCode);
    if (!template) return reject(200, SMS_CODES.TEMPLATE_ILLEGAL, '模板不合法(不存在或被拉黑)');
    let templateParam: Record<string, string> = {};
    try {
      templateParam = params.TemplateParam
        ? (JSON.parse(params.TemplateParam) as Record<string, string>)
        : {};
    } catch {
      return reject(200, SMS_CODES.INVALID_JSON_PARAM, 'JSON参数不合法');
    }
    const names = [...template.content.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]);
    const absent = names.filter((name) => templateParam[name] === undefined);
    if (absent.length > 0)
      return reject(200, SMS_CODES.TEMPLATE_PARAMS_MISSING, `模板缺少变量: ${absent.join(',')}`);
    const phones = params.PhoneNumbers.split(',').map((p) => p.trim());
    if (phones.length > 1000 || phones.some((p) => !CN_MOBILE_PATTERN.test(p))) {
      return reject(200, SMS_CODES.MOBILE_ILLEGAL, '非法手机号');
    }
    this.sequence += 1;
    const bizId = `${String(this.sequence).padStart(12, '0')}^0`;
    const content = `【${params.SignName}】${template.content.replace(/\$\{(\w+)\}/g, (_m, name: string) => String(templateParam[name]))}`;
    const receivedAt = new Date(this.realNow()).toISOString();
    for (const phoneNumber of phones) {
      this.messages.push({
        bizId,
        phoneNumber,
        signName: params.SignName,
        templateCode: template.code,
        templateParam,
        content,
        segments: smsSegmentCount(content),
        outId: params.OutId || null,
        accessKeyId,
        receivedAt,
      });
    }
    if (params.OutId) this.byOutId.set(`${accessKeyId}|${params.OutId}`, bizId);
    this.counters.of('sms').accepted += 1;
    return { httpStatus: 200, code: SMS_CODES.OK, message: 'OK', bizId };
  }
}

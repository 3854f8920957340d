import { explainFinding } from '@lib/contracts/explain';
import type { Finding } from '../api/types';

type ExplainInput = Parameters<typeof explainFinding>[0];

/**
 * A finding's sentence in the page's language, rendered from its evidence by the same renderer the notifier uses
 * (devices by name, branch and 机器编号); the sentence reconcile stored when the finding cannot be rendered (a type this
 * console does not know yet, evidence of another shape).
 */
export function findingExplanation(f: Finding, lang: string): string {
  try {
    const invoice = f.invoice?.number
      ? { type: f.invoice.type ?? '', code: f.invoice.code ?? null, number: f.invoice.number }
      : null;
    return explainFinding(
      {
        ...f,
        type: f.type as ExplainInput['type'],
        state: f.state as ExplainInput['state'],
        evidence: f.evidence ?? {},
        invoice,
        deviceId: f.deviceId ?? null,
        branchId: f.branchId ?? null,
        period: f.period ?? null,
        device: f.branchName ? { branchName: f.branchName } : null,
        now: new Date(),
      },
      lang === 'en' ? 'en' : 'zh-CN',
    );
  } catch {
    return f.explanation ?? '';
  }
}

import { Router } from 'express';
import { AUTHORITY_CODES, type RedFormAction } from '@lib/protocols';
import { asRecord, bodyText, param, parseJson } from '../core/http.util';
import { PERIOD_PATTERN } from '../core/shanghai-time.util';
import { loseResponse } from '../faults/fault-gate.middleware';
import { sendAuthority } from './authority-http';
import type { AuthorityRouteDeps } from './authority-invoices.router';
import type { RedFormOutcome } from './red-form.service';

const ACTIONS: readonly RedFormAction[] = ['confirm', 'reject', 'revoke'];

/**
 * Red-letter confirmation forms and device clear-card status. Entering a form honours the `responseLost` fault of
 * operation `red-form` (keyed by the original's invoice key): the form exists, the entrant never hears so.
 */
export function authorityFormsRouter(deps: AuthorityRouteDeps): Router {
  const { simulator, faults, counters, gate, auth } = deps;
  const router = Router();
  const answer = (
    res: Parameters<typeof sendAuthority>[0],
    outcome: RedFormOutcome,
    created = false,
  ): void => {
    if (outcome.ok) return sendAuthority(res, created ? 201 : 200, AUTHORITY_CODES.OK, 'ok', outcome.form);
    const status = outcome.code === AUTHORITY_CODES.RED_FORM_NOT_FOUND ? 404 : 200;
    sendAuthority(res, status, outcome.code, outcome.message);
  };

  router.post('/v1/taxpayers/:taxNo/red-forms', gate('red-form'), ...auth, (req, res) => {
    const parsed = parseJson(bodyText(req));
    if (!parsed.ok) return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, parsed.message);
    const outcome = simulator.redForms.create(param(req, 'taxNo'), parsed.value);
    if (outcome.ok && faults.responseLost('authority', 'red-form', outcome.form.originalInvoiceKey)) {
      counters.of('authority').faults.responsesLost += 1;
      return loseResponse(req, res);
    }
    answer(res, outcome, true);
  });

  router.get('/v1/taxpayers/:taxNo/red-forms', gate('red-form'), ...auth, (req, res) => {
    sendAuthority(res, 200, AUTHORITY_CODES.OK, 'ok', {
      items: simulator.redForms.list(param(req, 'taxNo')),
    });
  });

  router.get('/v1/taxpayers/:taxNo/red-forms/:formId', gate('red-form'), ...auth, (req, res) => {
    answer(res, simulator.redForms.get(param(req, 'taxNo'), param(req, 'formId')));
  });

  router.post('/v1/taxpayers/:taxNo/red-forms/:formId/actions', gate('red-form'), ...auth, (req, res) => {
    const parsed = parseJson(bodyText(req));
    const action = asRecord(parsed.ok ? parsed.value : null).action as RedFormAction;
    if (!ACTIONS.includes(action)) {
      return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, 'action must be confirm, reject or revoke');
    }
    answer(res, simulator.redForms.act(param(req, 'taxNo'), param(req, 'formId'), action));
  });

  router.get('/v1/taxpayers/:taxNo/devices/:deviceNo/clear-card', gate('clear-card'), ...auth, (req, res) => {
    const period = String(req.query.period ?? '');
    if (!PERIOD_PATTERN.test(period))
      return sendAuthority(res, 400, AUTHORITY_CODES.BAD_REQUEST, 'period=YYYY-MM required');
    sendAuthority(
      res,
      200,
      AUTHORITY_CODES.OK,
      'ok',
      simulator.clearCards.get(param(req, 'taxNo'), param(req, 'deviceNo'), period),
    );
  });

  return router;
}

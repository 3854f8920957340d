import { reportBodySchema } from '@lib/contracts';

/** PostgreSQL's int, which reconcile stores a report's counts in. */
export const MAX_REPORT_COUNT = 2_147_483_647;

/**
 * The contracts' report body, plus the bound its consumers can store: a count beyond a 32-bit integer would be
 * accepted here and then dead-lettered by reconcile, so it is refused at the edge (400, TOO_LARGE at the field).
 */
export const storableReportBodySchema = reportBodySchema.superRefine((body, ctx) => {
  body.totals.forEach((total, index) => {
    if (total.count <= MAX_REPORT_COUNT) return;
    ctx.addIssue({
      code: 'custom',
      path: ['totals', index, 'count'],
      message: `at most ${MAX_REPORT_COUNT}`,
      params: { code: 'TOO_LARGE' },
    });
  });
});

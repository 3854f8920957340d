import { z } from 'zod';
import { AppError } from '@lib/common';
import { parseInput } from './parse-input';

describe('parseInput', () => {
  const schema = z.object({ limit: z.coerce.number().int().max(500).default(100) });

  it('hands back the parsed value, defaults applied', () => {
    expect(parseInput(schema, {}, 'query')).toEqual({ limit: 100 });
  });

  it('refuses with INVALID_REQUEST (400) and an INVALID_VALUE detail per issue, the field prefixed with where', () => {
    let thrown: unknown;
    try {
      parseInput(schema, { limit: '501' }, 'query');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'INVALID_REQUEST',
      kind: 'validation',
      message: 'invalid query',
      details: [{ code: 'INVALID_VALUE', field: 'query.limit', message: expect.any(String) }],
    });
  });
});

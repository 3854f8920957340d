import { z } from 'zod';
import { openApiSchema } from './openapi-schema';

describe('openApiSchema', () => {
  it('writes OpenAPI 3.0: nullable instead of type null, one example instead of examples, no $schema', () => {
    const schema = openApiSchema(
      z.object({
        code: z.string().meta({ examples: ['BAD_SIGNATURE', 'NONCE_REUSED'] }),
        email: z.email().nullable(),
      }),
    );
    const text = JSON.stringify(schema);
    expect(text).not.toContain('"examples"');
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('"null"');
    expect(schema.properties?.code).toMatchObject({ type: 'string', example: 'BAD_SIGNATURE' });
    expect(schema.properties?.email).toMatchObject({ type: 'string', nullable: true });
  });

  it('documents what a client sends (input: defaults optional) or gets back (output)', () => {
    const schema = z.object({ limit: z.number().default(100) });
    expect(openApiSchema(schema).required).toBeUndefined();
    expect(openApiSchema(schema, 'output').required).toEqual(['limit']);
  });
});

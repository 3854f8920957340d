import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';

/**
 * The OpenAPI 3.0 schema of a zod schema, so what /docs shows is what the handler parses with. Nest writes an
 * OpenAPI 3.0 document, and 3.0 is what most client generators read best: zod's `openapi-3.0` target turns
 * nullables into `nullable: true`; what it leaves from JSON Schema (`examples` arrays, `$schema`) is rewritten here.
 * `io: 'input'` for what a client sends (defaults optional), `'output'` for what it gets back.
 */
export function openApiSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' });
  return toOpenApi30(json) as SchemaObject;
}

function toOpenApi30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toOpenApi30);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema') continue;
    if (key === '$defs' || key === 'definitions') {
      // A shared definition would need a place in components.schemas; schemas here are inlined (no meta ids).
      throw new Error('openApiSchema: schemas with ids (reused definitions) are not supported; inline them');
    }
    if (key === 'examples' && Array.isArray(value)) {
      // 3.0 has one `example`; `examples` is a JSON Schema keyword it does not know.
      if (value.length > 0) out.example = toOpenApi30(value[0]);
      continue;
    }
    out[key] = toOpenApi30(value);
  }
  return out;
}

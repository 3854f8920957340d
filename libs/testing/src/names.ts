import { randomBytes } from 'node:crypto';

/** A name unique to this test run: schemas, topics, consumer groups never collide between runs. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/** A person as the sandbox IdP takes them (SANDBOX_IDP_USERS, `POST /__sandbox/idp/users`). */
export const idpPersonSchema = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w.@-]+$/, 'letters, digits and . _ @ - only'),
  password: z.string().min(1).max(256),
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  /** Product roles (`admin`, `finance-manager`, `branch-clerk`, `auditor`); the services ignore other values. */
  roles: z.array(z.string().min(1).max(64)).max(20),
  /** Branch ids a `branch-clerk` may see. */
  branches: z.array(z.string().min(1).max(128)).max(500).default([]),
});
export type IdpPersonInput = z.input<typeof idpPersonSchema>;
export type IdpPersonSpec = z.output<typeof idpPersonSchema>;

/** What the IdP knows of a person, password excluded: the claims it issues. */
export interface IdpPerson {
  username: string;
  name: string;
  email: string;
  roles: string[];
  branches: string[];
}

/**
 * The demo people seeded when SANDBOX_IDP_USERS is unset. Their passwords are fixed, documented development values
 * (docs/sandbox.md): this is only the sandbox. clerk-sz's branches are the first two Shenzhen branches of the demo
 * enterprise (test/system/enterprise.ts).
 */
export const DEMO_IDP_PEOPLE: readonly IdpPersonSpec[] = [
  {
    username: 'admin',
    password: 'demo-admin-pass',
    name: '系统管理员',
    email: 'admin@demo.invoice-sync.example.cn',
    roles: ['admin'],
    branches: [],
  },
  {
    username: 'manager',
    password: 'demo-manager-pass',
    name: '王财务经理',
    email: 'manager@demo.invoice-sync.example.cn',
    roles: ['finance-manager'],
    branches: [],
  },
  {
    username: 'clerk-sz',
    password: 'demo-clerk-sz-pass',
    name: '李会计（深圳）',
    email: 'clerk-sz@demo.invoice-sync.example.cn',
    roles: ['branch-clerk'],
    branches: ['sz-futian-01', 'sz-baoan-02'],
  },
  {
    username: 'auditor',
    password: 'demo-auditor-pass',
    name: '赵审计',
    email: 'auditor@demo.invoice-sync.example.cn',
    roles: ['auditor'],
    branches: [],
  },
];

// scrypt's defaults (N=16384, r=8, p=1): about 30-50 ms a hash, ample for a simulator and far from a plain digest.
const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, SCRYPT, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

interface StoredPerson {
  person: IdpPerson;
  salt: Buffer;
  hash: Buffer;
}

/** The IdP's people: scrypt password hashes only, compared in constant time. */
export class IdpPeople {
  private readonly people = new Map<string, StoredPerson>();
  /** Compared against when the username is unknown, so that both cases take the same time. */
  private readonly decoy = { salt: randomBytes(16), hash: randomBytes(KEY_LENGTH) };

  /** Adds the person, or replaces the one with the same username. */
  async upsert(spec: IdpPersonSpec): Promise<IdpPerson> {
    const salt = randomBytes(16);
    const hash = await derive(spec.password, salt);
    const person: IdpPerson = {
      username: spec.username,
      name: spec.name,
      email: spec.email,
      roles: [...new Set(spec.roles)],
      branches: [...new Set(spec.branches)],
    };
    this.people.set(spec.username, { person, salt, hash });
    return person;
  }

  /** The person when the username and password match, null otherwise. */
  async authenticate(username: string, password: string): Promise<IdpPerson | null> {
    const stored = this.people.get(username);
    const { salt, hash } = stored ?? this.decoy;
    const candidate = await derive(password, salt);
    const matches = timingSafeEqual(candidate, hash);
    return stored && matches ? stored.person : null;
  }

  find(username: string): IdpPerson | undefined {
    return this.people.get(username)?.person;
  }

  list(): IdpPerson[] {
    return [...this.people.values()].map((s) => s.person);
  }

  clear(): void {
    this.people.clear();
  }
}

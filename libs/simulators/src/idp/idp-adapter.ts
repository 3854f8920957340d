import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import type { IdpClients } from './idp-clients';

interface Entry {
  payload: AdapterPayload;
  /** Epoch ms; Infinity when the model has no lifetime. */
  expiresAt: number;
}

/**
 * oidc-provider's storage, in memory like everything in the sandbox: sessions, interactions, codes, refresh tokens and
 * grants (JWT access tokens are not stored). Entries expire on read. The `Client` model reads the client registry, so
 * a client registered or replaced at run time is used by the next request.
 */
export class IdpStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sessionsByUid = new Map<string, string>();
  private readonly grantMembers = new Map<string, Set<string>>();
  private writes = 0;

  constructor(
    private readonly clients: IdpClients,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `adapter` option of oidc-provider's configuration. */
  readonly factory: AdapterFactory = (model: string): Adapter =>
    model === 'Client' ? this.clientAdapter() : this.modelAdapter(model);

  /** Forgets every session, interaction, code, token and grant. */
  clear(): void {
    this.entries.clear();
    this.sessionsByUid.clear();
    this.grantMembers.clear();
  }

  size(): number {
    return this.entries.size;
  }

  private clientAdapter(): Adapter {
    const unsupported = (): Promise<void> =>
      Promise.reject(new Error('clients are registered through the sandbox control API'));
    return {
      find: (id) => Promise.resolve(this.clients.metadata(id) as AdapterPayload | undefined),
      upsert: unsupported,
      destroy: unsupported,
      consume: unsupported,
      findByUid: () => Promise.resolve(undefined),
      findByUserCode: () => Promise.resolve(undefined),
      revokeByGrantId: () => Promise.resolve(),
    };
  }

  private modelAdapter(model: string): Adapter {
    const key = (id: string): string => `${model}:${id}`;
    return {
      upsert: (id, payload, expiresIn) => {
        const k = key(id);
        this.remove(k);
        if (++this.writes % 500 === 0) this.sweep();
        const expiresAt = typeof expiresIn === 'number' ? this.now() + expiresIn * 1000 : Infinity;
        this.entries.set(k, { payload, expiresAt });
        if (model === 'Session' && typeof payload.uid === 'string') this.sessionsByUid.set(payload.uid, id);
        if (payload.grantId) {
          const members = this.grantMembers.get(payload.grantId) ?? new Set<string>();
          members.add(k);
          this.grantMembers.set(payload.grantId, members);
        }
        return Promise.resolve();
      },
      find: (id) => Promise.resolve(this.read(key(id))),
      findByUid: (uid) => {
        const id = this.sessionsByUid.get(uid);
        return Promise.resolve(id === undefined ? undefined : this.read(key(id)));
      },
      findByUserCode: (userCode) => {
        for (const [k, entry] of this.entries) {
          if (k.startsWith(`${model}:`) && entry.payload.userCode === userCode)
            return Promise.resolve(this.read(k));
        }
        return Promise.resolve(undefined);
      },
      consume: (id) => {
        const payload = this.read(key(id));
        if (payload) payload.consumed = Math.floor(this.now() / 1000);
        return Promise.resolve();
      },
      destroy: (id) => {
        this.remove(key(id));
        return Promise.resolve();
      },
      revokeByGrantId: (grantId) => {
        for (const k of this.grantMembers.get(grantId) ?? []) this.remove(k);
        this.grantMembers.delete(grantId);
        return Promise.resolve();
      },
    };
  }

  /** Drops what expired without being read again (abandoned interactions, sessions). */
  private sweep(): void {
    const now = this.now();
    for (const [k, entry] of this.entries) if (entry.expiresAt <= now) this.remove(k);
  }

  private read(k: string): AdapterPayload | undefined {
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.remove(k);
      return undefined;
    }
    return entry.payload;
  }

  private remove(k: string): void {
    const entry = this.entries.get(k);
    if (!entry) return;
    this.entries.delete(k);
    const { uid, grantId } = entry.payload;
    if (typeof uid === 'string' && this.sessionsByUid.get(uid) === k.slice(k.indexOf(':') + 1)) {
      this.sessionsByUid.delete(uid);
    }
    if (grantId) this.grantMembers.get(grantId)?.delete(k);
  }
}

/**
 * Who is calling a service API, and what they may do. One model for people (an OIDC access token from the IdP) and
 * service accounts (a configured bearer token): both carry roles and a branch scope, and every controller asks the
 * same two questions, "may this principal do X" (`permits`) and "which branches may it see" (`scope`).
 */
export const ROLES = ['admin', 'finance-manager', 'branch-clerk', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'findings:read',
  'findings:act',
  'corrections:approve',
  'runs:read',
  'runs:start',
  'invoices:read',
  'devices:read',
  'devices:manage',
  /** Announce, change and cancel maintenance windows (admin only). */
  'maintenance:manage',
  'deliveries:read',
  'deliveries:retry',
  'routing:read',
  'routing:manage',
  'notifications:read',
  'notifications:resend',
  'notifications:manage',
  'audit:read',
  'export',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = [
  'findings:read',
  'runs:read',
  'invoices:read',
  'devices:read',
  'deliveries:read',
  'routing:read',
  'notifications:read',
  'export',
];

/** PRODUCT.md, "Roles". A clerk's reads and acts are further limited to their branches by `scope`. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  'finance-manager': [
    ...READ_ALL,
    'findings:act',
    'corrections:approve',
    'runs:start',
    'deliveries:retry',
    'notifications:resend',
    'audit:read',
  ],
  'branch-clerk': [...READ_ALL, 'findings:act', 'deliveries:retry'],
  auditor: [...READ_ALL, 'audit:read'],
};

/** Every branch, or only these (a clerk with none sees nothing). */
export type BranchScope =
  { readonly all: true } | { readonly all: false; readonly branches: readonly string[] };

export const ALL_BRANCHES: BranchScope = { all: true };

export interface Principal {
  kind: 'person' | 'service';
  /** The IdP's `sub`, or the service account's name. */
  subject: string;
  /** A person's display name; a service account's name. */
  name: string;
  roles: readonly Role[];
  scope: BranchScope;
}

/** Who did something, as finding histories, admin logs and the audit log record it. */
export interface Actor {
  kind: 'person' | 'service';
  subject: string;
  name: string;
}

export function actorOf(principal: Principal): Actor {
  return { kind: principal.kind, subject: principal.subject, name: principal.name };
}

export function permits(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

/**
 * The scope a set of roles gives: any role beyond branch-clerk sees every branch; a clerk only the branches assigned.
 */
export function scopeForRoles(roles: readonly Role[], branches: readonly string[]): BranchScope {
  if (roles.some((role) => role !== 'branch-clerk')) return ALL_BRANCHES;
  return { all: false, branches: [...new Set(branches)] };
}

/** Whether a thing of this branch is inside the scope (a thing with no branch is visible only to all-branch scopes). */
export function inScope(scope: BranchScope, branchId: string | null | undefined): boolean {
  if (scope.all) return true;
  return branchId != null && scope.branches.includes(branchId);
}

/** The SQL parameter for `($n::text[] IS NULL OR <column> = ANY($n::text[]))`: null means every branch. */
export function scopeParam(scope: BranchScope): string[] | null {
  return scope.all ? null : [...scope.branches];
}

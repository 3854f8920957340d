import { DEMO_IDP_PEOPLE, IdpPeople, idpPersonSchema } from './idp-people';

describe('IdpPeople', () => {
  const spec = idpPersonSchema.parse({
    username: 'li.na',
    password: 'correct horse',
    name: '李娜',
    email: 'li.na@example.cn',
    roles: ['branch-clerk', 'branch-clerk'],
    branches: ['sz-futian-01'],
  });

  it('authenticates only the right password, and keeps no password', async () => {
    const people = new IdpPeople();
    const added = await people.upsert(spec);
    expect(added).toEqual({
      username: 'li.na',
      name: '李娜',
      email: 'li.na@example.cn',
      roles: ['branch-clerk'],
      branches: ['sz-futian-01'],
    });
    expect(JSON.stringify(people.list())).not.toContain('correct horse');
    expect(await people.authenticate('li.na', 'correct horse')).toEqual(added);
    expect(await people.authenticate('li.na', 'correct horse ')).toBeNull();
    expect(await people.authenticate('li.na', '')).toBeNull();
    expect(await people.authenticate('nobody', 'correct horse')).toBeNull();
  });

  it('replaces a person with the same username', async () => {
    const people = new IdpPeople();
    await people.upsert(spec);
    await people.upsert({ ...spec, password: 'new one', roles: ['auditor'], branches: [] });
    expect(people.list()).toHaveLength(1);
    expect(await people.authenticate('li.na', 'correct horse')).toBeNull();
    expect(await people.authenticate('li.na', 'new one')).toMatchObject({ roles: ['auditor'], branches: [] });
  });

  it('validates input: required fields, an email, arrays, no unknown keys', () => {
    expect(idpPersonSchema.safeParse({ ...spec, email: 'not-an-email' }).success).toBe(false);
    expect(idpPersonSchema.safeParse({ ...spec, roles: 'admin' }).success).toBe(false);
    expect(idpPersonSchema.safeParse({ ...spec, username: 'has space' }).success).toBe(false);
    expect(idpPersonSchema.safeParse({ ...spec, branch: ['x'] }).success).toBe(false);
    const { branches: _branches, ...withoutBranches } = spec;
    expect(idpPersonSchema.parse(withoutBranches).branches).toEqual([]);
  });

  it('seeds the four demo roles, the clerk with Shenzhen branches of the demo enterprise', () => {
    expect(DEMO_IDP_PEOPLE.map((p) => [p.username, p.roles])).toEqual([
      ['admin', ['admin']],
      ['manager', ['finance-manager']],
      ['clerk-sz', ['branch-clerk']],
      ['auditor', ['auditor']],
    ]);
    expect(DEMO_IDP_PEOPLE.find((p) => p.username === 'clerk-sz')?.branches).toEqual([
      'sz-futian-01',
      'sz-baoan-02',
    ]);
    for (const person of DEMO_IDP_PEOPLE) {
      expect(idpPersonSchema.parse(person)).toEqual(person);
      expect(person.password).toBe(`demo-${person.username}-pass`);
    }
  });
});

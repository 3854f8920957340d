import { encodeCursor, toListDevicesQuery } from './list-devices.query';

describe('list devices query', () => {
  it('round-trips the opaque cursor', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(toListDevicesQuery({ cursor: encodeCursor(at, 'dev_x'), limit: '10' })).toEqual({
      taxNo: undefined,
      branchId: undefined,
      after: { createdAt: at, deviceId: 'dev_x' },
      limit: 10,
    });
  });

  it.each([
    [{ cursor: 'not-a-cursor' }, 'INVALID_CURSOR'],
    [{ cursor: Buffer.from('["yesterday","x"]').toString('base64url') }, 'INVALID_CURSOR'],
    [{ limit: '0' }, 'VALIDATION_FAILED'],
    [{ limit: '201' }, 'VALIDATION_FAILED'],
    [{ limit: 'ten' }, 'VALIDATION_FAILED'],
    [{ taxNo: ['a', 'b'] }, 'VALIDATION_FAILED'],
  ])('refuses %j', (query, code) => {
    expect(() => toListDevicesQuery(query)).toThrow(expect.objectContaining({ code }));
  });

  it('defaults to 50 per page', () => {
    expect(toListDevicesQuery({}).limit).toBe(50);
  });
});

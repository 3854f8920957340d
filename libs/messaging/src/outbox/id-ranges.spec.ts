import { fromRanges, toRanges } from './id-ranges';

describe('id ranges', () => {
  it('compresses runs and keeps gaps', () => {
    expect(toRanges(['5', '3', '4', '9', '11', '10', '20'])).toEqual([
      ['3', '5'],
      ['9', '11'],
      ['20', '20'],
    ]);
  });

  it('round-trips', () => {
    const ids = ['1', '2', '7', '8', '9', '100'];
    expect(fromRanges(toRanges(ids))).toEqual(ids);
  });

  it('handles ids beyond 2^53', () => {
    expect(toRanges(['9007199254740993', '9007199254740994'])).toEqual([
      ['9007199254740993', '9007199254740994'],
    ]);
  });

  it('is empty for no ids', () => {
    expect(toRanges([])).toEqual([]);
  });
});

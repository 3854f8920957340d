import { CSV_BOM, csvField, csvRow } from './csv';

describe('CSV', () => {
  it('quotes every field and doubles quotes inside', () => {
    expect(csvField('SZ01')).toBe('"SZ01"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(null)).toBe('""');
  });

  it('keeps codes and numbers as text, leading zeros included', () => {
    expect(csvField('044031900111')).toBe('"044031900111"');
    expect(csvField('-12.50')).toBe('"-12.50"');
    expect(csvField(0)).toBe('"0"');
  });

  it('defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+cmd')).toBe('"\'+cmd"');
    expect(csvField('@SUM(A1)')).toBe('"\'@SUM(A1)"');
  });

  it('ends rows with CRLF; the file starts with the BOM', () => {
    expect(csvRow(['类型', 'Type'])).toBe('"类型","Type"\r\n');
    expect(Buffer.from(CSV_BOM, 'utf8')).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

import { readFileSync } from 'node:fs';
import {
  defaultFilingCalendar,
  FILING_CALENDAR_PATH_ENV,
  loadFilingCalendar,
  shippedFilingCalendar,
} from './filing-calendar.loader';
import { parseFilingCalendar } from './filing-calendar.model';

jest.mock('node:fs', () => ({ readFileSync: jest.fn() }));
const readFileSyncMock = readFileSync as unknown as jest.Mock;

describe('filing calendar loader', () => {
  beforeEach(() => readFileSyncMock.mockReset());

  it('ships 2024-2026 with holidays, and published deadlines for 2024 and 2025', () => {
    const calendar = shippedFilingCalendar();
    expect(Object.keys(calendar.years)).toEqual(expect.arrayContaining(['2024', '2025', '2026']));
    expect(Object.keys(calendar.years['2024'].filingDeadlines)).toHaveLength(12);
    expect(Object.keys(calendar.years['2025'].filingDeadlines)).toHaveLength(12);
    expect(calendar.years['2026'].holidays).toHaveLength(7);
    expect(calendar.years['2025'].holidays.find((h) => h.name === '春节')).toEqual({
      name: '春节',
      from: '2025-01-28',
      to: '2025-02-04',
    });
  });

  it('uses the shipped calendar without touching the file system when the variable is unset', () => {
    expect(loadFilingCalendar({})).toBe(shippedFilingCalendar());
    expect(defaultFilingCalendar()).toBe(defaultFilingCalendar());
    expect(readFileSyncMock).not.toHaveBeenCalled();
  });

  it(`reads the file named by ${FILING_CALENDAR_PATH_ENV}`, () => {
    readFileSyncMock.mockReturnValue(
      JSON.stringify({ years: { '2027': { filingDeadlines: { '2027-02': '2027-02-22' } } } }),
    );
    const calendar = loadFilingCalendar({ [FILING_CALENDAR_PATH_ENV]: '/etc/invoice-sync/calendar.json' });
    expect(readFileSyncMock).toHaveBeenCalledWith('/etc/invoice-sync/calendar.json', 'utf8');
    expect(calendar.years['2027'].filingDeadlines['2027-02']).toBe('2027-02-22');
  });

  it('fails loudly on an unreadable file or bad JSON', () => {
    readFileSyncMock.mockImplementation(() => {
      throw new Error('ENOENT');
    });
    expect(() => loadFilingCalendar({ [FILING_CALENDAR_PATH_ENV]: '/missing.json' })).toThrow(
      expect.objectContaining({ code: 'FILING_CALENDAR_UNREADABLE' }),
    );
    readFileSyncMock.mockReturnValue('{ not json');
    expect(() => loadFilingCalendar({ [FILING_CALENDAR_PATH_ENV]: '/bad.json' })).toThrow(
      expect.objectContaining({ code: 'FILING_CALENDAR_INVALID' }),
    );
  });
});

describe('parseFilingCalendar', () => {
  const invalid = (raw: unknown, fragment: string) => () => {
    expect(() => parseFilingCalendar(raw, 'test.json')).toThrow(
      expect.objectContaining({ code: 'FILING_CALENDAR_INVALID' }),
    );
    expect(() => parseFilingCalendar(raw, 'test.json')).toThrow(fragment);
  };

  it('accepts a minimal calendar and defaults missing lists', () => {
    expect(parseFilingCalendar({ years: { '2027': {} } })).toEqual({
      years: { '2027': { holidays: [], workingWeekends: [], filingDeadlines: {}, sources: undefined } },
    });
  });

  it('rejects a non-object root', invalid([], '(root)'));
  it('rejects missing years', invalid({}, 'years'));
  it('rejects a bad year key', invalid({ years: { '27': {} } }, 'years.27'));
  it(
    'rejects a malformed holiday',
    invalid(
      { years: { '2027': { holidays: [{ name: 'x', from: '2027-02-30', to: '2027-03-01' }] } } },
      'holidays[0].from',
    ),
  );
  it(
    'rejects a holiday ending before it starts',
    invalid(
      { years: { '2027': { holidays: [{ name: 'x', from: '2027-02-10', to: '2027-02-01' }] } } },
      'ends before',
    ),
  );
  it(
    'rejects a nameless holiday',
    invalid(
      { years: { '2027': { holidays: [{ name: '', from: '2027-02-01', to: '2027-02-01' }] } } },
      '.name',
    ),
  );
  it(
    'rejects a working weekend that is a weekday',
    invalid({ years: { '2025': { workingWeekends: ['2025-02-10'] } } }, 'not a Saturday or Sunday'),
  );
  it(
    'rejects a deadline filed under another year',
    invalid({ years: { '2025': { filingDeadlines: { '2026-01': '2026-01-15' } } } }, 'month of 2025'),
  );
  it(
    'rejects a deadline outside its month',
    invalid({ years: { '2025': { filingDeadlines: { '2025-01': '2025-02-01' } } } }, 'in that month'),
  );
  it(
    'rejects a deadline before the 15th',
    invalid({ years: { '2025': { filingDeadlines: { '2025-01': '2025-01-14' } } } }, 'before the 15th'),
  );
  it(
    'rejects holidays that are not a list',
    invalid({ years: { '2025': { holidays: {} } } }, 'must be an array'),
  );
});

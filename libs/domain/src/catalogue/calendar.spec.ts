import {
  addDaysToLocalDate,
  addHours,
  addMonthsMillis,
  formatInZone,
  isInstant,
  isLocalDate,
  localToInstant,
  offsetMinutesAt,
} from './calendar.js';

const CPH = 'Europe/Copenhagen';

describe('calendar (Europe/Copenhagen, DST-correct)', () => {
  it('gives winter (+01:00) and summer (+02:00) offsets', () => {
    expect(offsetMinutesAt(Date.parse('2025-01-15T12:00:00Z'), CPH)).toBe(60);
    expect(offsetMinutesAt(Date.parse('2025-07-15T12:00:00Z'), CPH)).toBe(120);
  });

  it('keeps the wall-clock time across the last Sunday of October (2025-10-26)', () => {
    expect(localToInstant('2025-10-20', '13:00', CPH)).toBe('2025-10-20T13:00:00+02:00');
    expect(localToInstant('2025-10-27', '13:00', CPH)).toBe('2025-10-27T13:00:00+01:00');
  });

  it('keeps the wall-clock time across the last Sunday of March (2025-03-30)', () => {
    expect(localToInstant('2025-03-24', '13:00', CPH)).toBe('2025-03-24T13:00:00+01:00');
    expect(localToInstant('2025-03-31', '13:00', CPH)).toBe('2025-03-31T13:00:00+02:00');
  });

  it('moves a time in the spring-forward gap forward, and takes the earlier of a repeated autumn time', () => {
    expect(localToInstant('2025-03-30', '02:30', CPH)).toBe('2025-03-30T03:30:00+02:00');
    expect(localToInstant('2025-10-26', '02:30', CPH)).toBe('2025-10-26T02:30:00+02:00');
  });

  it('adds hours as elapsed time across DST (48 h before the October change)', () => {
    expect(addHours('2025-10-25T09:00:00+02:00', 48, CPH)).toBe('2025-10-27T08:00:00+01:00');
  });

  it('adds calendar days and months (clamping to the month end)', () => {
    expect(addDaysToLocalDate('2025-02-27', 2)).toBe('2025-03-01');
    expect(new Date(addMonthsMillis('2024-01-31', 1)).toISOString().slice(0, 10)).toBe('2024-02-29');
    expect(new Date(addMonthsMillis('2024-11-01', 12)).toISOString().slice(0, 10)).toBe('2025-11-01');
  });

  it('formats an instant with the zone offset and validates inputs', () => {
    expect(formatInZone(Date.parse('2025-06-01T10:00:00Z'), CPH)).toBe('2025-06-01T12:00:00+02:00');
    expect(isInstant('2025-06-01T12:00:00+02:00')).toBe(true);
    expect(isInstant('2025-06-01T12:00:00')).toBe(false);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2024-02-29')).toBe(true);
  });
});

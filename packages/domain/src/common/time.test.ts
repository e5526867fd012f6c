import { describe, expect, it } from 'vitest';
import { zoneOffsetMinutes } from '../deadline/deadline.ts';
import { dateInZone, zoneFormat } from './time.ts';

describe('dates in a time zone', () => {
  it('gives the calendar date of an instant in each zone', () => {
    const instant = new Date('2026-12-31T20:30:00Z');
    expect(dateInZone(instant, 'Asia/Almaty')).toBe('2027-01-01'); // UTC+5
    expect(dateInZone(instant, 'UTC')).toBe('2026-12-31');
    expect(dateInZone(instant, 'America/New_York')).toBe('2026-12-31');
    expect(zoneOffsetMinutes(instant, 'Asia/Almaty')).toBe(300);
    expect(zoneOffsetMinutes(new Date('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('makes one formatter per locale, zone and options and keeps it', () => {
    const opts = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;
    expect(zoneFormat('en-CA', 'Asia/Almaty', opts)).toBe(zoneFormat('en-CA', 'Asia/Almaty', { ...opts }));
    expect(zoneFormat('en-CA', 'Asia/Aqtobe', opts)).not.toBe(zoneFormat('en-CA', 'Asia/Almaty', opts));
  });

  it('still refuses an unknown zone, every time', () => {
    expect(() => dateInZone(new Date(), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => dateInZone(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

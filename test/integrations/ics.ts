import ICAL from 'ical.js';

/** One VEVENT as an independent parser (ical.js) reads it. */
export interface ParsedEvent {
  readonly uid: string;
  readonly sequence: number;
  readonly status: string | null;
  readonly summary: string;
  readonly location: string | null;
  readonly tzid: string | null;
  /** wall-clock start in its zone, `YYYY-MM-DDTHH:MM:SS` */
  readonly localStart: string;
  readonly start: Date;
  readonly end: Date;
  readonly rrule: boolean;
}

export interface ParsedFeed {
  readonly events: ParsedEvent[];
  readonly timezones: string[];
  /** X-WR-CALNAME */
  readonly name: string | null;
}

/** Parses an RFC 5545 text with ical.js, registering its VTIMEZONEs so TZID times resolve through them. */
export function parseFeed(text: string): ParsedFeed {
  const root = new ICAL.Component(ICAL.parse(text));
  const timezones = root.getAllSubcomponents('vtimezone').map((tz) => {
    ICAL.TimezoneService.register(tz);
    return String(tz.getFirstPropertyValue('tzid'));
  });
  const events = root.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const dtstart = component.getFirstProperty('dtstart');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: (component.getFirstPropertyValue('status') as string | null) ?? null,
      summary: event.summary,
      location: orNull(event.location),
      tzid: (dtstart?.getParameter('tzid') as string | undefined) ?? null,
      localStart: event.startDate.toString().slice(0, 19),
      start: event.startDate.toJSDate(),
      end: event.endDate.toJSDate(),
      rrule: component.hasProperty('rrule'),
    };
  });
  return { events, timezones, name: (root.getFirstPropertyValue('x-wr-calname') as string | null) ?? null };
}

/** ical.js types a missing text property as string; at run time it is null */
function orNull(value: string | null): string | null {
  return value ?? null;
}

// Dates as people read them in Dutch text the server writes (reasons, warnings): the Amsterdam calendar day in
// words. A UTC slice of an ISO instant can be a day off (an instant after 23:00 UTC is the next day in Amsterdam).

const DUTCH_DAY = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "15 december 2026": the Amsterdam calendar day of an instant (ISO text or Date). */
export function dutchDay(instant: string | Date): string {
  return DUTCH_DAY.format(typeof instant === 'string' ? new Date(instant) : instant);
}

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

const DUTCH_TIME = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'Europe/Amsterdam',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "15 december 2026": a calendar date (YYYY-MM-DD) in words; the date itself, whatever the time zone. */
export function dutchDate(date: string): string {
  // Noon UTC is the same calendar day in Amsterdam all year.
  return DUTCH_DAY.format(new Date(`${date}T12:00:00Z`));
}

/** "15 december 2026 om 09:05": an instant as an Amsterdam day and time. */
export function dutchMoment(instant: string | Date): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  return `${DUTCH_DAY.format(at)} om ${DUTCH_TIME.format(at)}`;
}

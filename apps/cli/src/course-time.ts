/**
 * Times as a student reads them: in the course's time zone, with that zone named and how far away it
 * is ("Thu 9 Dec 23:59 GMT+8, in 7 d 14 h"), as the web pages show deadlines. Never bare UTC.
 */

function zoneName(timeZone: string, date: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** "in 7 d 14 h", "in 3 h 05 min", "in 42 s", or "2 d 3 h ago". */
export function relativeTo(date: Date, now: Date): string {
  const ms = date.getTime() - now.getTime();
  const seconds = Math.round(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const span =
    days > 0
      ? `${days} d ${hours} h`
      : hours > 0
        ? `${hours} h ${String(minutes).padStart(2, '0')} min`
        : minutes > 0
          ? `${minutes} min`
          : `${seconds} s`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

export function courseTime(iso: string, timeZone: string, now = new Date()): string {
  const date = new Date(iso);
  const local = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(date)
    .replace(',', '');
  return `${local} ${zoneName(timeZone, date)}, ${relativeTo(date, now)}`;
}

/** How numbers, dates and durations read on the pages. */

/** A score with enough digits to tell close entries apart, without trailing noise. */
export function formatScore(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e7)) return value.toExponential(4);
  return Number(value.toPrecision(7)).toString();
}

/** A date and time in a time zone, with the zone named (deadlines are in the course's zone). */
export function formatInZone(iso: string, timeZone: string): string {
  return (
    new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(
      new Date(iso),
    ) + ` (${zoneName(timeZone, iso)})`
  );
}

function zoneName(timeZone: string, iso: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' })
    .formatToParts(new Date(iso))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** Local date and time for lists ("27 Nov, 14:03"). */
export function formatLocal(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

/** "3d 04h 12m" until a moment, "00h 04m 09s" in the last hour, or null once it has passed. */
export function countdown(targetIso: string, now: number): string | null {
  const ms = new Date(targetIso).getTime() - now;
  if (ms <= 0) return null;
  const seconds = Math.floor(ms / 1000);
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days}d ${pad(hours)}h ${pad(minutes)}m`;
  return `${pad(hours)}h ${pad(minutes)}m ${pad(seconds % 60)}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const metricLabel = (name: string, direction: 'higher' | 'lower') =>
  `${name} (${direction === 'higher' ? 'higher' : 'lower'} is better)`;

/** Minutes east of UTC of `timeZone` at the instant `utcMs`. */
function offsetMinutes(timeZone: string, utcMs: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(utcMs))
      .map((part) => [part.type, part.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time in `timeZone` names ("2025-06-01T23:59" in Asia/Taipei is 15:59 UTC),
 * whatever zone the browser is in: a TA types the course's time, not their own. Across a DST change
 * the offset is taken at the resulting instant.
 */
export function zonedTimeToIso(local: string, timeZone: string): string {
  const [date, time = '00:00'] = local.split('T');
  const [year, month, day] = date!.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const wall = Date.UTC(year!, month! - 1, day, hour, minute);
  let instant = wall - offsetMinutes(timeZone, wall) * 60_000;
  instant = wall - offsetMinutes(timeZone, instant) * 60_000;
  return new Date(instant).toISOString();
}

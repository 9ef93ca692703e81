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

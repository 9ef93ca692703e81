/** Time left until a deadline, ticking; the deadline itself is shown in the course's time zone. */
import { countdown, formatInZone } from '../format.ts';
import { useNow } from '../hooks.ts';

export function Deadline({
  iso,
  timeZone,
  label = 'Deadline',
}: {
  iso: string | null;
  timeZone: string;
  label?: string | null;
}) {
  const now = useNow(1000);
  if (!iso) return <span className="muted">No deadline</span>;
  const left = countdown(iso, now);
  return (
    <span className="deadline">
      <span>
        {label ? `${label}: ` : null}
        <time dateTime={iso}>{formatInZone(iso, timeZone)}</time>
      </span>
      <span
        className={`countdown ${left ? (new Date(iso).getTime() - now < 86_400_000 ? 'soon' : '') : 'over'}`}
        aria-label={left ? `${left} left` : 'closed'}
      >
        {left ? `${left} left` : 'closed'}
      </span>
    </span>
  );
}

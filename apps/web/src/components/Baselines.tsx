/** Which baselines a score passes, as badges in the course's order (simple, medium, strong, boss). */
import type { Baseline } from '../types.ts';

export function BaselineBadges({
  all,
  passed,
}: {
  all: readonly Baseline[] | readonly { name: string }[];
  passed: readonly string[];
}) {
  if (all.length === 0) return null;
  return (
    <ul className="badges" aria-label="Baselines">
      {all.map((baseline) => {
        const ok = passed.includes(baseline.name);
        return (
          <li
            key={baseline.name}
            className={ok ? 'badge pass' : 'badge'}
            title={ok ? `passes ${baseline.name}` : `below ${baseline.name}`}
          >
            <span aria-hidden="true">{ok ? '✓' : '·'}</span> {baseline.name}
            <span className="sr-only">{ok ? ' passed' : ' not passed'}</span>
          </li>
        );
      })}
    </ul>
  );
}

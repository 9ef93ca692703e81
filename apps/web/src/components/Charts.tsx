/**
 * The TA dashboard's charts, drawn by Chart.js (with its annotation plugin for baseline and deadline
 * lines). Each chart also has a table of its numbers for screen readers.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import annotationPlugin from 'chartjs-plugin-annotation';
import { useEffect, useRef } from 'react';
import { formatScore } from '../format.ts';
import { histogram } from '../histogram.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend, annotationPlugin);

function useChart(config: ChartConfiguration<'bar'>) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const serialized = JSON.stringify(config);
  useEffect(() => {
    const chart = new Chart(canvas.current!, config);
    return () => chart.destroy();
    // The config is rebuilt each render; redraw only when its content changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serialized]);
  return canvas;
}

const BASELINE_COLORS = ['#2f7d32', '#b26a00', '#b3261e', '#6a1b9a', '#00695c'];

export function ScoreHistogram({
  values,
  baselines,
  metric,
}: {
  values: readonly number[];
  baselines: ReadonlyArray<{ name: string; value: number }>;
  metric: string;
}) {
  const bins = histogram(
    values,
    baselines.map((b) => b.value),
  );
  const width = bins.length > 0 ? bins[0]!.to - bins[0]!.from : 1;
  const origin = bins[0]?.from ?? 0;
  const canvas = useChart({
    type: 'bar',
    data: {
      labels: bins.map((bin) => formatScore(Number(bin.from.toPrecision(6)))),
      datasets: [
        {
          label: 'students',
          data: bins.map((bin) => bin.count),
          backgroundColor: '#4c6ef5',
          barPercentage: 1,
          categoryPercentage: 0.95,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items) => {
              const bin = bins[items[0]!.dataIndex]!;
              return `${formatScore(bin.from)} – ${formatScore(bin.to)}`;
            },
          },
        },
        annotation: {
          annotations: Object.fromEntries(
            baselines.map((baseline, i) => [
              baseline.name,
              {
                type: 'line' as const,
                scaleID: 'x',
                // Category axes center bin k at k, so its left edge is k - 0.5.
                value: (baseline.value - origin) / width - 0.5,
                borderColor: BASELINE_COLORS[i % BASELINE_COLORS.length],
                borderWidth: 2,
                borderDash: [6, 4],
                label: {
                  display: true,
                  content: `${baseline.name} ${formatScore(baseline.value)}`,
                  position: i % 2 === 0 ? 'start' : 'end',
                  backgroundColor: BASELINE_COLORS[i % BASELINE_COLORS.length],
                  font: { size: 11 },
                },
              },
            ]),
          ),
        },
      },
      scales: {
        x: { title: { display: true, text: metric }, ticks: { maxRotation: 0, autoSkip: true } },
        y: { beginAtZero: true, title: { display: true, text: 'students' }, ticks: { precision: 0 } },
      },
    },
  });
  return (
    <figure className="chart">
      <div className="chart-box">
        <canvas
          ref={canvas}
          role="img"
          aria-label={`Histogram of ${values.length} best scores with ${baselines.length} baseline lines`}
        />
      </div>
      <table className="sr-only">
        <caption>Students per score range</caption>
        <tbody>
          {bins.map((bin) => (
            <tr key={bin.from}>
              <th scope="row">
                {formatScore(bin.from)} to {formatScore(bin.to)}
              </th>
              <td>{bin.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function HourlyChart({
  hourly,
  deadline,
}: {
  hourly: ReadonlyArray<{ hour: string; submissions: number; rejected: number }>;
  deadline: string | null;
}) {
  const hours = fillHours(hourly);
  const label = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(iso),
    );
  const deadlineIndex = deadline
    ? hours.findIndex((h) => new Date(h.hour).getTime() + 3600_000 > new Date(deadline).getTime())
    : -1;
  const canvas = useChart({
    type: 'bar',
    data: {
      labels: hours.map((h) => label(h.hour)),
      datasets: [
        {
          label: 'scored or queued',
          data: hours.map((h) => h.submissions - h.rejected),
          backgroundColor: '#4c6ef5',
          stack: 'all',
        },
        { label: 'rejected', data: hours.map((h) => h.rejected), backgroundColor: '#e8590c', stack: 'all' },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { position: 'bottom' },
        annotation: {
          annotations:
            deadlineIndex >= 0
              ? {
                  deadline: {
                    type: 'line' as const,
                    scaleID: 'x',
                    value: deadlineIndex,
                    borderColor: '#b3261e',
                    borderWidth: 2,
                    label: {
                      display: true,
                      content: 'deadline',
                      position: 'start' as const,
                      backgroundColor: '#b3261e',
                    },
                  },
                }
              : {},
        },
      },
      scales: {
        x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { precision: 0 },
          title: { display: true, text: 'uploads per hour' },
        },
      },
    },
  });
  return (
    <figure className="chart">
      <div className="chart-box">
        <canvas ref={canvas} role="img" aria-label={`Uploads per hour over ${hours.length} hours`} />
      </div>
      <table className="sr-only">
        <caption>Uploads per hour</caption>
        <tbody>
          {hours.map((h) => (
            <tr key={h.hour}>
              <th scope="row">{label(h.hour)}</th>
              <td>
                {h.submissions} ({h.rejected} rejected)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** Hours without uploads appear as zeros, so the time axis is even (at most the last 14 days). */
function fillHours(hourly: ReadonlyArray<{ hour: string; submissions: number; rejected: number }>) {
  if (hourly.length === 0) return [];
  const byHour = new Map(hourly.map((h) => [new Date(h.hour).getTime(), h]));
  const last = new Date(hourly[hourly.length - 1]!.hour).getTime();
  const first = Math.max(new Date(hourly[0]!.hour).getTime(), last - 14 * 24 * 3600_000);
  const hours = [];
  for (let t = first; t <= last; t += 3600_000)
    hours.push(byHour.get(t) ?? { hour: new Date(t).toISOString(), submissions: 0, rejected: 0 });
  return hours;
}

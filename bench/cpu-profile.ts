/**
 * Where a process spent its CPU: reads the .cpuprofile files Node writes with --cpu-prof (one per
 * thread and process) and prints, for each, the busy time by package and the hottest functions by
 * self time, as shares of the busy (non-idle) time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Which of our processes or threads a profile belongs to, from the code it ran. */
function roleOf(urls: ReadonlySet<string>): string {
  const has = (suffix: string) => [...urls].some((url) => url.endsWith(suffix));
  if (has('dist/api/server.js')) return 'api';
  if (has('dist/worker/main.js')) return 'worker (main thread)';
  if (has('dist/worker/scoring-thread.js')) return 'worker (scoring thread)';
  if (has('dist/api/bundle-thread.js')) return 'api (bundle thread)';
  if (has('dist/worker/runner-process.js')) return 'worker (model runner)';
  return 'other';
}

function packageOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (core)';
  if (url.includes('/dist/')) return 'mljudge';
  // Sources run through tsx (the benches) are named by their workspace package.
  const source = /\/(?:packages|apps)\/([^/]+)\/src\//.exec(url);
  if (source) return `mljudge/${source[1]}`;
  return path.basename(url);
}

const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;

/**
 * One profile's busy time by package and its hottest functions by self time; null when the profile
 * was almost all idle (a thread that waited).
 */
export function summarizeProfile(profile: CpuProfile, heading: (busy: string) => string, top = 12): string[] | null {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  let idle = 0;
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    const owner = packageOf(frame);
    // Line numbers name a place only in built code: tsx hands V8 its transpiled text.
    const place = frame.url.endsWith('.ts')
      ? path.basename(frame.url)
      : `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'} (${owner.startsWith('mljudge') ? place : owner})`;
    packages.set(owner, (packages.get(owner) ?? 0) + micros);
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const busy = total - idle;
  if (busy < 0.05 * total && busy < 1e6) return null;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return [
    '',
    heading(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s`),
    `- by package: ${sorted(packages)
      .map(([name, micros]) => `${name} ${percent(micros, busy)}`)
      .join(', ')}`,
    '- hottest functions (self time):',
    ...sorted(functions).map(([name, micros]) => `  - ${percent(micros, busy)} ${name}`),
  ];
}

/** Every .cpuprofile in a folder (one per thread and process), each under the role it played. */
export function summarizeProfiles(directory: string, top = 12): string {
  const lines: string[] = [];
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as CpuProfile;
    const role = roleOf(new Set(profile.nodes.map((node) => node.callFrame.url)));
    const summary = summarizeProfile(profile, (busy) => `### ${role}: ${busy} (${file})`, top);
    if (summary) lines.push(...summary);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${summarizeProfiles(process.argv[2]!)}\n`);

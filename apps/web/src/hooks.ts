/** Data loading, clocks and live streams as hooks, so pages only say what they show. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, problemOf } from './api.ts';
import type { Problem } from './types.ts';

export interface Resource<T> {
  readonly data: T | undefined;
  readonly error: Problem | undefined;
  readonly loading: boolean;
  /** Fetches again, keeping the current data on screen until the new one arrives (no flicker). */
  readonly reload: () => void;
  /** Changes the data on screen at once (after a write the server accepted), before any reload. */
  mutate(update: (data: T) => T): void;
}

/**
 * GETs `path` (null: nothing to load) and keeps the last good answer while reloading. With
 * `keepPrevious`, a new path (the next page, a search) also keeps the old rows until the new ones
 * arrive, so tables do not collapse to "Loading…" and jump.
 */
export function useResource<T>(path: string | null, options: { keepPrevious?: boolean } = {}): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Problem; loading: boolean; path: string | null }>({
    loading: path !== null,
    path,
  });
  const [generation, setGeneration] = useState(0);
  if (state.path !== path)
    setState({
      loading: path !== null,
      path,
      ...(options.keepPrevious && state.data !== undefined ? { data: state.data } : {}),
    });
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    api<T>('GET', path).then(
      (data) => live && setState({ data, loading: false, path }),
      (error: unknown) => live && setState({ error: problemOf(error), loading: false, path }),
    );
    return () => {
      live = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const mutate = useCallback(
    (update: (data: T) => T) =>
      setState((previous) => (previous.data === undefined ? previous : { ...previous, data: update(previous.data) })),
    [],
  );
  return { data: state.data, error: state.error, loading: state.loading, reload, mutate };
}

/** The current time, ticking every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Listens to a Server-Sent Events stream (same origin, so the session cookie goes with it) and calls
 * `onEvent` for each message of type `event`. EventSource reconnects by itself after a drop; return
 * 'stop' from `onEvent` when nothing more will come (or it would reconnect to a finished stream).
 */
export function useEventStream(
  url: string | null,
  event: string,
  onEvent: (data: unknown) => void | 'stop',
): 'connecting' | 'live' | 'closed' {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<'connecting' | 'live' | 'closed'>('connecting');
  useEffect(() => {
    if (url === null) return;
    setState('connecting');
    const source = new EventSource(url);
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
    source.addEventListener(event, (message) => {
      setState('live');
      if (handler.current(JSON.parse((message as MessageEvent<string>).data)) === 'stop') {
        source.close();
        setState('closed');
      }
    });
    return () => {
      source.close();
      setState('closed');
    };
  }, [url, event]);
  return state;
}

/** The document title, restored when the page goes. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · mljudge` : 'mljudge';
  }, [title]);
}

/** A user action (a form's submit): busy while it runs, and the problem if the server refused it. */
export function useAction() {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
    }
  };
  return { problem, busy, run };
}

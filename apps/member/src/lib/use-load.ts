import { useCallback, useEffect, useState } from 'react';
import { useDidShow } from '@tarojs/taro';

export type LoadState<T> = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; data: T };

/** Loads on mount and again whenever the page is shown (coming back from another page). */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): [LoadState<T>, () => void] {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(() => {
    load().then(
      (data) => setState({ status: 'ready', data }),
      (e: Error) => setState({ status: 'error', message: e.message }),
    );
  }, deps);
  useEffect(run, [run]);
  useDidShow(() => run());
  return [state, run];
}

/**
 * Keep the projector's screen on (Screen Wake Lock API). The browser drops the lock whenever
 * the page is hidden (another tab, a minimised window, a locked laptop), so it is asked for
 * again each time the page becomes visible. Feature-detected: without the API (older
 * browsers, plain http on another host) the wall works as before and says so in `state`.
 */
export type WakeLockState = 'unsupported' | 'held' | 'released' | 'refused';

interface Sentinel {
  readonly released: boolean;
  release(): Promise<void>;
  addEventListener(type: 'release', listener: () => void): void;
}
interface WakeLockApi {
  request(type: 'screen'): Promise<Sentinel>;
}

/** Hold the screen wake lock while the page lives; returns the cleanup. */
export function keepScreenAwake(onState: (state: WakeLockState) => void): () => void {
  const api = (navigator as Navigator & { wakeLock?: WakeLockApi }).wakeLock;
  if (!api || typeof api.request !== 'function') {
    onState('unsupported');
    return () => {};
  }
  let sentinel: Sentinel | null = null;
  let isStopped = false;
  let isAsking = false;

  const acquire = async () => {
    if (isStopped || isAsking || document.visibilityState !== 'visible') return;
    if (sentinel && !sentinel.released) return;
    isAsking = true;
    try {
      const held = await api.request('screen');
      if (isStopped) {
        void held.release();
        return;
      }
      sentinel = held;
      onState('held');
      held.addEventListener('release', () => {
        if (!isStopped) onState('released');
      });
    } catch {
      // Refused (a hidden page, a battery saver, a policy): the next visibility change retries.
      onState('refused');
    } finally {
      isAsking = false;
    }
  };
  const onVisibility = () => void acquire();
  document.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    isStopped = true;
    document.removeEventListener('visibilitychange', onVisibility);
    void sentinel?.release();
  };
}

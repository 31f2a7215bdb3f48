/**
 * SIGINT (Ctrl-C) and SIGTERM (a CI runner cancelling the job) during a command that must stop cleanly rather
 * than die mid-way (apply, pull): the first one calls `stop`; later ones are ignored while the command winds down,
 * instead of Node's default of ending the process at once.
 */
export function whileInterruptible(stop: (signal: 'SIGINT' | 'SIGTERM') => void): () => void {
  let stopped = false;
  const handler = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (stopped) return;
    stopped = true;
    stop(signal);
  };
  const onInt = handler('SIGINT');
  const onTerm = handler('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  };
}

// Starts sei-worker.js and resolves once its module graph has loaded, or to null if it fails
// to (404, syntax error, CSP) within timeoutMs. An encoded transform whose worker never runs
// would hold every frame back, so a page only installs one on a worker that said 'ready'.
export function startSeiWorker(timeoutMs = 3000) {
  return new Promise((resolve) => {
    let worker;
    try {
      worker = new Worker(new URL('./sei-worker.js', import.meta.url), { type: 'module', name: 'cascade-sei' });
    } catch (e) {
      console.warn('[cascade] cannot start sei-worker.js:', e.message);
      resolve(null);
      return;
    }
    const done = (ok, why) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      if (!ok) {
        console.warn(`[cascade] sei-worker.js ${why}: playing without the encoded transform`);
        worker.terminate();
      }
      resolve(ok ? worker : null);
    };
    const timer = setTimeout(() => done(false, `not ready after ${timeoutMs} ms`), timeoutMs);
    worker.onmessage = (e) => { if (e.data && e.data.type === 'ready') done(true); };
    worker.onerror = (e) => { e.preventDefault(); done(false, `failed to load (${e.message || 'error'})`); };
  });
}

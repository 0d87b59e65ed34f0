/**
 * Lets the event loop run (timers, I/O, UI events) in the middle of long work: one `MessageChannel` turn (a
 * macrotask in browsers and in Node, without the 4 ms clamp of nested timers), else a zero timeout.
 *
 * @example
 * for (const batch of batches) { work(batch); await yieldToEventLoop(); }
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

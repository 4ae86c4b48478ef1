// Work for a request ends when its client leaves: a signal that aborts when the
// response is closed before it was completely sent (the client disconnected, timed out
// or navigated away). Imports, analyses, exports and printing pass it on to the
// database and the workers, which stop instead of finishing for nobody.
import type { Response } from 'express';

const signals = new WeakMap<Response, AbortSignal>();

export function clientGone(res: Response): AbortSignal {
  let signal = signals.get(res);
  if (!signal) {
    const controller = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('the client has gone'));
    });
    signal = controller.signal;
    signals.set(res, signal);
  }
  return signal;
}

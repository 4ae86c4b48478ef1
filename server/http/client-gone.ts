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
    const gone = () => {
      if (!res.writableFinished) controller.abort(new Error('the client has gone'));
    };
    // A client that left before anyone asked (while the request waited for admission or
    // for its body) has gone as surely as one that leaves later.
    if (res.closed) gone();
    else res.once('close', gone);
    signal = controller.signal;
    signals.set(res, signal);
  }
  return signal;
}

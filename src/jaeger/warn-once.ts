import { warnOnce as warnOnceForKey } from '../logger';

/**
 * One `diag` warning per `message` for the process, pointing at the migration guide: for
 * jaeger-client features that are accepted but cannot be honoured, used at set-up time or per
 * call. `detail` (an error's text, say) is added to the first warning only and is not part of
 * what counts as the same message.
 */
export function warnOnce(message: string, detail?: string): void {
  warnOnceForKey(message, `${message}${detail === undefined ? '' : `: ${detail}`}. See docs/migrating-from-jaeger-client.md`);
}

import { logger } from '../logger';

/** The messages already given; a fixed set of texts written in this package, so it stays small. */
const warned = new Set<string>();

/**
 * One `diag` warning per `message` for the process, pointing at the migration guide: for
 * jaeger-client features that are accepted but cannot be honoured, used at set-up time or per
 * call. `detail` (an error's text, say) is added to the first warning only and is not part of
 * what counts as the same message.
 */
export function warnOnce(message: string, detail?: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  logger.warn(`${message}${detail === undefined ? '' : `: ${detail}`}. See docs/migrating-from-jaeger-client.md`);
}

import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** How a child process ended (its exit code, or the signal that ended it), and what it wrote. */
export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What else `runNode` does while the child runs. */
export interface RunNodeOptions {
  /** Sends `signal` to the child once, as soon as its stdout contains `output` (`ready`). */
  readonly signalWhen?: { readonly output: string; readonly signal: NodeJS.Signals };
}

/**
 * Runs `node <args>` from the repository root with this process's environment, less every
 * `OTEL_*` and `JAEGER_*` variable, plus `env`; resolves when the child has exited. So a test
 * sets the variables its child sees, whatever the machine has set.
 */
export function runNode(args: string[], env: Record<string, string>, options: RunNodeOptions = {}): Promise<ChildRun> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('JAEGER_')) childEnv[key] = value;
  const child = spawn(process.execPath, args, { cwd: join(__dirname, '../..'), env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let signalWhen = options.signalWhen;
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (signalWhen !== undefined && stdout.includes(signalWhen.output)) {
      child.kill(signalWhen.signal);
      signalWhen = undefined;
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

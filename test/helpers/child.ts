import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** How a child process ended, and what it wrote. */
export interface ChildRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node <args>` from the repository root with this process's environment, less every
 * `OTEL_*` and `JAEGER_*` variable, plus `env`; resolves when the child has exited. So a test
 * sets the variables its child sees, whatever the machine has set.
 */
export function runNode(args: string[], env: Record<string, string>): Promise<ChildRun> {
  const childEnv: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('OTEL_') && !key.startsWith('JAEGER_')) childEnv[key] = value;
  const child = spawn(process.execPath, args, { cwd: join(__dirname, '../..'), env: { ...childEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

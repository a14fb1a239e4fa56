import { vi } from 'vitest';

/**
 * Everything written to stdout and stderr while `run` runs, with the
 * handlers' logger at debug level: what CloudWatch would keep of it.
 */
export async function capturedLogs(run: () => Promise<void>): Promise<string> {
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  // The handlers' own logger instance: loaded after the local stack set their environment.
  const { logger } = await import('../../shared/core/logger');
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  logger.setLogLevel('DEBUG');
  try {
    await run();
  } finally {
    logger.setLogLevel('SILENT');
    stdout.mockRestore();
    stderr.mockRestore();
  }
  return written.join('');
}

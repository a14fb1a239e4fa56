import type { Server } from 'node:http';
import sesModule from 'aws-ses-v2-local';

// A CommonJS package: under ESM its default export may arrive wrapped once more.
const sesServer =
  typeof sesModule === 'function'
    ? sesModule
    : (sesModule as unknown as { default: typeof sesModule }).default;

export interface RunningSes {
  url: string;
  stop(): Promise<void>;
}

/** The local SES (aws-ses-v2-local): accepts SESv2 sends and lists them on its page at `url`. */
export async function startSesLocal(options: { host: string; port: number }): Promise<RunningSes> {
  const server: Server = await sesServer({ host: options.host, port: options.port });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

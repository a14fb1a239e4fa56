import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { startLocalDns } from '../../scripts/local/dns-server';

describe('the local DNS server', () => {
  it('refuses to start on a port another process holds for TCP, instead of ending the process', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as net.AddressInfo;
    try {
      await expect(startLocalDns({ host: '127.0.0.1', port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
      // On a port of its own choosing it starts, and stops.
      const dns = await startLocalDns({ host: '127.0.0.1' });
      expect(dns.server).toMatch(/^127\.0\.0\.1:\d+$/);
      await dns.stop();
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

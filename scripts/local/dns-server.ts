import dns2 from 'dns2';

const { Packet } = dns2;
/** Response codes (RFC 1035 §4.1.1); dns2's typings omit its own `Packet.RCODE`. */
const rcode = { serverFailure: 2, nameError: 3 } as const;
type Answer = (typeof Packet.prototype.answers)[number];

/** A TXT record: one string (split into 255-byte chunks as DNS requires), or its chunks as given. */
type TxtValue = string | string[];

interface TxtEntry {
  values: TxtValue[];
  /** Answer this name with a server failure, or not at all (a timeout), to try the "lookup failed" path. */
  failure?: 'servfail' | 'timeout';
}

export interface LocalDns {
  /** `host:port`, for Node's resolver (`DNS_SERVERS`). */
  server: string;
  /** Sets a name's TXT records; no values and no failure removes the name. */
  setTxt(name: string, entry: TxtEntry): void;
  /** How many TXT questions it answered (the bench counts lookups). */
  questions(): number;
  stop(): Promise<void>;
}

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

function chunks(value: TxtValue): string[] {
  if (Array.isArray(value)) return value;
  const bytes = Buffer.from(value, 'utf8');
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 255) {
    parts.push(bytes.subarray(start, start + 255).toString('utf8'));
  }
  return parts.length > 0 ? parts : [''];
}

type DnsServer = ReturnType<typeof dns2.createServer>;

/** Listens, or rejects with the error dns2 emits instead (left unhandled, it would end the process). */
function listening(server: DnsServer, options: Parameters<DnsServer['listen']>[0]) {
  return new Promise<Awaited<ReturnType<DnsServer['listen']>>>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options).then((addresses) => {
      server.off('error', reject);
      resolve(addresses);
    }, reject);
  });
}

/**
 * UDP on a free port, then TCP on the same one. On a shared machine another
 * process may hold that port for TCP: a port the system chose is then given
 * up and another one tried.
 */
async function listenOnOnePort(handle: dns2.DnsHandler, options: { host: string; port?: number }) {
  for (let attempt = 1; ; attempt++) {
    const udp = dns2.createServer({ udp: true, handle });
    const { udp: udpAddress } = await listening(udp, {
      udp: { port: options.port ?? 0, address: options.host },
    });
    if (!udpAddress) throw new Error('The local DNS server did not start');
    const tcp = dns2.createServer({ tcp: true, handle });
    try {
      await listening(tcp, { tcp: { port: udpAddress.port, address: options.host } });
      return { udp, tcp, port: udpAddress.port };
    } catch (error) {
      await udp.close();
      const taken = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!taken || options.port !== undefined || attempt >= 5) throw error;
    }
  }
}

/**
 * The DNS server the verification queries locally, on loopback (UDP, and TCP
 * on the same port for answers too long for a datagram). It knows only the
 * names it was given: any other name does not exist (NXDOMAIN).
 */
export async function startLocalDns(options: { host: string; port?: number }): Promise<LocalDns> {
  const names = new Map<string, TxtEntry>();
  let answered = 0;
  const handle: dns2.DnsHandler = (request, send) => {
    const response = Packet.createResponseFromRequest(request);
    const [question] = request.questions;
    const entry = question ? names.get(normalise(question.name)) : undefined;
    answered += 1;
    if (entry?.failure === 'timeout') return;
    if (entry?.failure === 'servfail') {
      response.header.rcode = rcode.serverFailure;
    } else if (!question || !entry) {
      response.header.rcode = rcode.nameError;
    } else if (question.type === Packet.TYPE.TXT) {
      for (const value of entry.values) {
        response.answers.push({
          name: question.name,
          type: Packet.TYPE.TXT,
          class: Packet.CLASS.IN,
          ttl: 0,
          data: chunks(value),
        } as unknown as Answer);
      }
    }
    void send(response);
  };
  const { udp, tcp, port } = await listenOnOnePort(handle, options);
  return {
    server: `${options.host}:${port}`,
    setTxt(name, entry) {
      if (entry.values.length === 0 && !entry.failure) names.delete(normalise(name));
      else names.set(normalise(name), entry);
    },
    questions: () => answered,
    async stop() {
      await Promise.all([udp.close(), tcp.close()]);
    },
  };
}

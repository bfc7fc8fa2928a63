// Who may read the inspector: a page served from the address it listens on. A DNS-rebinding page
// (evil.example resolving to 127.0.0.1) reaches the same socket, but names its own host.
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** The names that always mean this machine. */
const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Says whether a request's `Host` (and its `Origin`, when it has one) names this server: a
 * loopback name (`localhost`, `127.0.0.1`, `[::1]`), the address it listens on, a name in
 * `allowedHosts`, or, when it listens on every interface, any IP address (an address cannot be
 * rebound to another site; a name can). An `Origin` must be this very host and port, over http.
 * Ports are not compared with the listening one: the socket reached is ours either way.
 * @param listenAddress the address the server listens on, as `server.address()` gives it.
 * @param allowedHosts more host names (no port), e.g. the machine's name on a LAN.
 * @example
 * const allowed = hostCheck('127.0.0.1');
 * allowed({ host: 'localhost:4000' }); // true
 * allowed({ host: 'evil.example:4000' }); // false
 */
export function hostCheck(
  listenAddress: string,
  allowedHosts: readonly string[] = [],
): (headers: IncomingHttpHeaders) => boolean {
  const listen = isIP(listenAddress) === 6 ? `[${listenAddress}]` : listenAddress;
  const names = new Set(
    [...LOOPBACK_NAMES, listen, ...allowedHosts].map((name) => name.toLowerCase()),
  );
  const anyAddress = WILDCARDS.has(listen);
  const nameAllowed = (hostname: string) =>
    names.has(hostname) || (anyAddress && isIP(hostname.replace(/^\[|\]$/g, '')) !== 0);
  return (headers) => {
    const host = hostOf(headers.host);
    if (host === null || !nameAllowed(host.hostname)) return false;
    const origin = headers.origin;
    if (origin === undefined) return true;
    try {
      const from = new URL(origin);
      return from.protocol === 'http:' && from.host === host.host;
    } catch {
      return false; // 'null' (a sandboxed or file page) included
    }
  };
}

function hostOf(header: string | undefined): URL | null {
  if (header === undefined || header === '' || /[/?#@\s\\]/.test(header)) return null;
  try {
    return new URL(`http://${header}`);
  } catch {
    return null;
  }
}

/**
 * Certificates for tests that run servers with TLS on: a throwaway CA and a server certificate for 127.0.0.1 and
 * localhost (and 127.0.0.2, a second loopback address for a second endpoint on the same port) signed by it, made with
 * openssl (ECDSA P-256, quick to generate).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM file of the CA: what a client trusts. */
  readonly caFile: string;
  /** PEM of the CA. */
  readonly ca: string;
  /** Server certificate (SAN IP:127.0.0.1, IP:127.0.0.2, DNS:localhost) and its key. */
  readonly certFile: string;
  readonly keyFile: string;
}

function openssl(args: readonly string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString() ?? err.message} (needs the openssl package)`);
  }
}

/** Writes ca.pem, ca.key, server.pem and server.key into `dir`. */
export function createTestCertificates(dir: string, commonName = 'reference-service test'): TestCertificates {
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-sha256', '-days', '2', '-subj', `/CN=${commonName} CA`, '-out', 'ca.pem'], dir);
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key'], dir);
  openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr'], dir);
  writeFileSync(join(dir, 'server.ext'), [
    'basicConstraints=CA:FALSE',
    'keyUsage=digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost',
    '',
  ].join('\n'));
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2',
    '-sha256', '-extfile', 'server.ext', '-out', 'server.pem'], dir);
  return {
    caFile: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
  };
}

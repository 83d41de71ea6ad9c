// Host-key checking as `ssh` decides it: the key the server offers is looked up in known_hosts
// (plain or hashed host patterns, `[host]:port` for ports other than 22). The file's text comes
// from the script's side (it is the script's user's file); a new key to remember goes back there.
import * as crypto from 'node:crypto';

export type HostKeyVerdict = 'match' | 'unknown' | 'changed';

/** The name known_hosts uses for a host and port. */
export function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const h = crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return h === hash;
  }
  // ssh's wildcards: * and ?
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function hostsMatch(field: string, name: string): boolean {
  let hit = false;
  for (const p of field.split(',')) {
    if (p.startsWith('!')) { if (patternMatches(p.slice(1), name)) return false; }
    else if (patternMatches(p, name)) hit = true;
  }
  return hit;
}

/** The offered key (its wire blob) against the known_hosts text. */
export function checkHostKey(knownHosts: string, host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = hostName(host, port);
  const type = key.readUInt32BE(0) <= key.length - 4 ? key.subarray(4, 4 + key.readUInt32BE(0)).toString() : '';
  let sameTypeOther = false;
  for (const raw of knownHosts.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    if (parts[0]?.startsWith('@')) {
      if (parts[0] === '@revoked' && parts[1] && hostsMatch(parts[1], name) && parts[3] === key.toString('base64')) return 'changed';
      continue; // @cert-authority: certificates are not used here
    }
    const [hosts, ktype, b64] = parts;
    if (!hosts || !ktype || !b64 || !hostsMatch(hosts, name)) continue;
    if (b64 === key.toString('base64')) return 'match';
    if (ktype === type) sameTypeOther = true;
  }
  return sameTypeOther ? 'changed' : 'unknown';
}

/** The line `ssh` appends for a newly accepted key. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  const type = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  return `${hostName(host, port)} ${type} ${key.toString('base64')}`;
}

export function fingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

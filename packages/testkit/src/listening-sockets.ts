// Which TCP addresses a set of processes listens on, read from Linux's /proc:
// the processes of some process groups (the stack supervises each part as its
// own group: kc.sh and its JVM, Next and its workers), their socket inodes
// (/proc/<pid>/fd), and the LISTEN entries of /proc/net/tcp and tcp6 with
// those inodes. Reading sockets, rather than probing ports, also finds the
// listeners nobody configured (a JVM's attach or debug port, a worker's).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ListeningSocket {
  pid: number;
  /** `127.0.0.1`, `::1`, `0.0.0.0`, `::`, `::ffff:127.0.0.1`, ... */
  address: string;
  port: number;
}

/** TCP state 0A in /proc/net/tcp: LISTEN. */
const LISTEN = "0A";

/** A /proc/net/tcp{,6} address: 32-bit words in host byte order (little-endian here), port big-endian hex. */
export function decodeProcAddress(hex: string): { address: string; port: number } {
  const [host, port] = hex.split(":") as [string, string];
  const bytes = (host.match(/.{8}/g) ?? []).flatMap((word) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  let address: string;
  if (bytes.length === 4) address = bytes.join(".");
  else {
    const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16));
    const mapped = groups.slice(0, 5).every((g) => g === "0") && groups[5] === "ffff";
    address = mapped ? `::ffff:${bytes.slice(12).join(".")}` : compressIpv6(groups);
  }
  return { address, port: parseInt(port, 16) };
}

function compressIpv6(groups: string[]): string {
  // The longest run of zero groups becomes `::` (RFC 5952 §4.2).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === "0") j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j;
  }
  if (best.start < 0) return groups.join(":");
  return `${groups.slice(0, best.start).join(":")}::${groups.slice(best.start + best.length).join(":")}`;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

/** Every LISTEN entry of a /proc/net/tcp{,6} text, by socket inode. */
export function parseProcNetTcp(text: string): Map<string, { address: string; port: number }> {
  const listening = new Map<string, { address: string; port: number }>();
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN) continue;
    listening.set(fields[9]!, decodeProcAddress(fields[1]!));
  }
  return listening;
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat; the command name before it may hold spaces). */
function processGroup(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  } catch {
    return undefined; // exited meanwhile
  }
}

function socketInodes(pid: number): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  return fds.flatMap((fd) => {
    try {
      return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1] ?? [];
    } catch {
      return [];
    }
  });
}

/** The listening TCP sockets of every process in `groups` and of the single processes `pids`. */
export function listeningSockets(options: { groups: number[]; pids?: number[] }): ListeningSocket[] {
  const pids = new Set(options.pids ?? []);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const group = processGroup(entry);
    if (group !== undefined && options.groups.includes(group)) pids.add(Number(entry));
  }
  const listening = new Map([...parseProcNetTcp(readFileSync("/proc/net/tcp", "utf8")), ...parseProcNetTcp(readFileSync("/proc/net/tcp6", "utf8"))]);
  const sockets: ListeningSocket[] = [];
  for (const pid of pids) {
    for (const inode of socketInodes(pid)) {
      const socket = listening.get(inode);
      // One socket can be open in several processes (inherited): count it once.
      if (socket && !sockets.some((s) => s.port === socket.port && s.address === socket.address)) sockets.push({ pid, ...socket });
    }
  }
  return sockets;
}

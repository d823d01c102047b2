// Simulated hosts for drills: one Linux network namespace per host, joined to
// the root namespace by one veth pair per named link ("app", "keycloak", ...),
// each link its own /30 (root side .1, host side .2). A link is then a real
// network path that a drill can take down (`ip link set down`) or make lossy
// (an nftables rule inside the namespace dropping a share of its packets in
// each direction) without touching the others. Latency comes from the
// forwarder on the link's root end (cuttable-proxy.ts): this kernel has no
// sch_netem (docs/decisions/0104-slow-link-without-netem.md). Needs root; where
// it is missing, netnsUnavailable() says why and the drill is skipped with that line.
import { execFileSync } from "node:child_process";

interface NetnsLink {
  /** The root namespace's end: the address the host reaches forwarders on. */
  rootAddress: string;
  /** The host's end: where the root namespace reaches a server inside. */
  hostAddress: string;
  rootDevice: string;
  hostDevice: string;
}

export interface NetnsHost {
  name: string;
  links: Record<string, NetnsLink>;
  /** Prefix that runs a program inside the namespace (`ip netns exec <name>`). */
  exec: string[];
  /** Takes the link down (both ends) or brings it back up. */
  setLink(link: string, up: boolean): void;
  /** Drops `percent` % of the link's packets in each direction (nftables, inside the namespace); 0 ends it. */
  loss(link: string, percent: number): void;
  /** Deletes the namespace (and with it every veth pair). Safe to call twice. */
  remove(): void;
}

function run(args: string[], input?: string): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: "utf8", input, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
}

/** Why links cannot be made lossy here (no `nft`, or a kernel without nf_tables), or undefined when they can. */
export function lossUnavailable(): string | undefined {
  const probe = createNetnsHost("kcfprobe", 239, ["probe"]);
  try {
    probe.loss("probe", 1);
    return undefined;
  } catch (error) {
    return `packet loss needs nftables (apt-get install nftables) and nf_tables in the kernel (${(error as Error).message.split("\n")[0]}): loss drills skipped`;
  } finally {
    probe.remove();
  }
}

/** Why the namespace drills cannot run here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "network-namespace drills need root (ip netns, tc): skipped";
  try {
    run(["ip", "netns", "list"]);
    run(["tc", "qdisc", "show", "dev", "lo"]);
    return undefined;
  } catch (error) {
    return `network-namespace drills need ip (iproute2) and tc: ${(error as Error).message.split("\n")[0]}: skipped`;
  }
}

function removeNamespace(name: string, links: Record<string, NetnsLink>): void {
  if (run(["ip", "netns", "list"]).split("\n").some((line) => line.split(" ")[0] === name)) run(["ip", "netns", "delete", name]);
  // Deleting the namespace deletes its veth ends and so their peers; a half-made pair may remain.
  for (const link of Object.values(links)) {
    try {
      run(["ip", "link", "delete", link.rootDevice]);
    } catch {
      // already gone with the namespace
    }
  }
}

/**
 * Creates namespace `name` with one link per entry of `linkNames`, addresses 10.<subnet>.<i>.1/30
 * (root) and .2/30 (inside). A leftover namespace of the same name (an earlier run that died) is
 * removed first. `name` is at most 8 characters: device names are `<name><i>r` / `<name><i>h`.
 */
export function createNetnsHost(name: string, subnet: number, linkNames: string[]): NetnsHost {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) throw new TypeError(`namespace name ${name}: up to 8 lowercase letters and digits`);
  const links: Record<string, NetnsLink> = {};
  linkNames.forEach((link, i) => {
    links[link] = { rootAddress: `10.${subnet}.${i}.1`, hostAddress: `10.${subnet}.${i}.2`, rootDevice: `${name}${i}r`, hostDevice: `${name}${i}h` };
  });
  const inside = (args: string[]) => run(["ip", "netns", "exec", name, ...args]);
  const linkOf = (link: string): NetnsLink => {
    const found = links[link];
    if (!found) throw new TypeError(`no link ${link} on ${name}; links: ${Object.keys(links).join(", ")}`);
    return found;
  };
  removeNamespace(name, links);
  try {
    run(["ip", "netns", "add", name]);
    inside(["ip", "link", "set", "lo", "up"]);
    for (const link of Object.values(links)) {
      run(["ip", "link", "add", link.rootDevice, "type", "veth", "peer", "name", link.hostDevice]);
      run(["ip", "link", "set", link.hostDevice, "netns", name]);
      run(["ip", "addr", "add", `${link.rootAddress}/30`, "dev", link.rootDevice]);
      inside(["ip", "addr", "add", `${link.hostAddress}/30`, "dev", link.hostDevice]);
      run(["ip", "link", "set", link.rootDevice, "up"]);
      inside(["ip", "link", "set", link.hostDevice, "up"]);
    }
  } catch (error) {
    removeNamespace(name, links);
    throw error;
  }
  return {
    name,
    links,
    exec: ["ip", "netns", "exec", name],
    setLink(link, up) {
      const { rootDevice, hostDevice } = linkOf(link);
      run(["ip", "link", "set", rootDevice, up ? "up" : "down"]);
      inside(["ip", "link", "set", hostDevice, up ? "up" : "down"]);
    },
    loss(link, percent) {
      const { hostDevice } = linkOf(link);
      if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError(`loss ${percent} %: a whole number from 0 to 100`);
      const table = `kcfloss${Object.keys(links).indexOf(link)}`;
      // One table per link, replaced whole: deleting the namespace deletes it too.
      if (inside(["nft", "list", "tables"]).includes(`inet ${table}`)) inside(["nft", "delete", "table", "inet", table]);
      if (percent === 0) return;
      const drop = `numgen random mod 100 < ${percent} drop`;
      run(
        ["ip", "netns", "exec", name, "nft", "-f", "-"],
        `table inet ${table} {
  chain input { type filter hook input priority 0; policy accept; iifname "${hostDevice}" ${drop}; }
  chain output { type filter hook output priority 0; policy accept; oifname "${hostDevice}" ${drop}; }
}
`,
      );
    },
    remove: () => removeNamespace(name, links),
  };
}

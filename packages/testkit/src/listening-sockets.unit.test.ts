// Decoding Linux's /proc/net/tcp and tcp6, with lines as the kernel writes them.
import { describe, expect, it } from "vitest";
import { decodeProcAddress, isLoopback, parseProcNetTcp } from "./listening-sockets.ts";

const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

describe("decodeProcAddress", () => {
  it("reads IPv4 addresses (little-endian words) and big-endian ports", () => {
    expect(decodeProcAddress("0100007F:2C74")).toEqual({ address: "127.0.0.1", port: 11380 });
    expect(decodeProcAddress("00000000:1F90")).toEqual({ address: "0.0.0.0", port: 8080 });
    expect(decodeProcAddress("0501A8C0:0050")).toEqual({ address: "192.168.1.5", port: 80 });
  });

  it("reads IPv6: any, loopback, IPv4-mapped (how a JVM binds 127.0.0.1) and a full address", () => {
    expect(decodeProcAddress("00000000000000000000000000000000:0BB8")).toEqual({ address: "::", port: 3000 });
    expect(decodeProcAddress("00000000000000000000000001000000:1111")).toEqual({ address: "::1", port: 4369 });
    expect(decodeProcAddress("0000000000000000FFFF00000100007F:47AC")).toEqual({ address: "::ffff:127.0.0.1", port: 18348 });
    expect(decodeProcAddress("B80D0120000000000000000001000000:0050")).toEqual({ address: "2001:db8::1", port: 80 });
  });
});

describe("isLoopback", () => {
  it("accepts 127/8, ::1 and mapped loopback; refuses wildcards and other addresses", () => {
    for (const address of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(address), address).toBe(true);
    for (const address of ["0.0.0.0", "::", "::ffff:0.0.0.0", "192.168.1.5", "2001:db8::1"]) expect(isLoopback(address), address).toBe(false);
  });
});

describe("parseProcNetTcp", () => {
  it("keeps LISTEN entries (state 0A) by inode and skips connections", () => {
    const text = [
      header,
      "   0: 0100007F:2C74 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111119 1 00000000410d9c89 100 0 0 10 0",
      "   1: 0100007F:2C74 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 111120 1 00000000410d9c89 20 4 30 10 -1",
      "   2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 00000000410d9c89 100 0 0 10 0",
      "",
    ].join("\n");
    expect([...parseProcNetTcp(text)]).toEqual([
      ["111119", { address: "127.0.0.1", port: 11380 }],
      ["222", { address: "0.0.0.0", port: 8080 }],
    ]);
  });
});

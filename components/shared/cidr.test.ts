import { strict as assert } from "node:assert";
import {
  alignedText,
  blockSize,
  contains,
  formatCidr,
  formatIpv4,
  isAligned,
  isRfc1918,
  lastAddressOf,
  netmask,
  networkOf,
  overlaps,
  parseCidr,
  splitCidr,
  tryParseCidr,
} from "./cidr";

describe("shared cidr", () => {
  describe("parseCidr / formatCidr", () => {
    it("round-trips addresses across the whole range without going negative", () => {
      for (const ip of ["0.0.0.0", "10.60.0.0", "172.16.255.1", "192.168.0.255", "255.255.255.255"]) {
        const c = parseCidr(`${ip}/32`);
        assert.ok(c.address >= 0 && c.address <= 0xffffffff, `${ip} -> ${c.address}`);
        assert.equal(formatIpv4(c.address), ip);
        assert.equal(formatCidr(c), `${ip}/32`);
      }
      assert.equal(parseCidr("255.255.255.255/32").address, 0xffffffff);
      assert.equal(parseCidr("10.0.0.1/32").address, 0x0a000001);
    });

    it("says why text is not a CIDR, naming the arg and quoting the value", () => {
      const cases: [unknown, RegExp][] = [
        ["10.0.0.0", /missing the prefix length/],
        ["10.0.0.0.0/8", /not an IPv4 CIDR like 10\.40\.0\.0\/16/],
        ["10.0.0.256/32", /an octet is greater than 255/],
        ["10.00.0.0/16", /leading zeros are ambiguous/],
        ["10.0.0.0/33", /prefix length is greater than 32/],
        ["", /not an IPv4 CIDR/],
        [" 10.40.0.0/16", /not an IPv4 CIDR/],
        [42, /not an IPv4 CIDR/],
      ];
      for (const [bad, reason] of cases) {
        assert.equal(typeof tryParseCidr(bad), "string", String(bad));
        assert.match(tryParseCidr(bad) as string, reason);
        assert.throws(
          () => parseCidr(bad, "vpcCidr"),
          (e: Error) =>
            e.message.startsWith(`vpcCidr ${JSON.stringify(bad)} is not an IPv4 CIDR: `) &&
            reason.test(e.message),
          String(bad),
        );
      }
    });

    it("parses address and prefix", () => {
      assert.deepEqual(parseCidr("10.60.0.0/20"), { address: 0x0a3c0000, prefix: 20 });
      assert.equal(parseCidr("0.0.0.0/0").prefix, 0);
      assert.equal(parseCidr("10.0.0.1/32").prefix, 32);
    });

    it("rejects text that is not IPv4 CIDR notation", () => {
      for (const bad of [
        "10.60.0.0",
        "10.60.0.0/33",
        "10.60.0.0/",
        "10.60.0.0/2a",
        "fd00::/8",
        "10.60.0.0/20/1",
      ]) {
        assert.throws(() => parseCidr(bad), /IPv4|prefix/, bad);
      }
      assert.throws(() => parseCidr(undefined as unknown as string), /not an IPv4 CIDR/);
    });
  });

  describe("masks, sizes and alignment", () => {
    it("computes netmasks for the edge prefixes", () => {
      assert.equal(netmask(0), 0);
      assert.equal(formatIpv4(netmask(20)), "255.255.240.0");
      assert.equal(netmask(32), 0xffffffff);
      assert.equal(formatIpv4(netmask(1)), "128.0.0.0");
    });

    it("computes sizes, network and last addresses", () => {
      const c = parseCidr("10.62.0.0/28");
      assert.equal(blockSize(c.prefix), 16);
      assert.equal(formatIpv4(networkOf(c)), "10.62.0.0");
      assert.equal(formatIpv4(lastAddressOf(c)), "10.62.0.15");
      assert.equal(formatIpv4(lastAddressOf(parseCidr("192.168.0.0/16"))), "192.168.255.255");
    });

    it("detects host bits and suggests the aligned block", () => {
      assert.equal(isAligned(parseCidr("10.60.0.0/20")), true);
      assert.equal(isAligned(parseCidr("10.60.1.0/20")), false);
      assert.equal(alignedText(parseCidr("10.60.1.0/20")), "10.60.0.0/20");
      assert.equal(isAligned(parseCidr("10.62.0.16/28")), true);
      assert.equal(isAligned(parseCidr("10.62.0.8/28")), false);
    });
  });

  describe("containment and overlap", () => {
    it("contains: inner inside outer, not the other way round", () => {
      assert.equal(contains(parseCidr("10.0.0.0/8"), parseCidr("10.60.0.0/20")), true);
      assert.equal(contains(parseCidr("10.60.0.0/20"), parseCidr("10.0.0.0/8")), false);
      assert.equal(contains(parseCidr("10.60.0.0/20"), parseCidr("10.60.15.0/24")), true);
      assert.equal(contains(parseCidr("10.60.0.0/20"), parseCidr("10.60.16.0/24")), false);
    });

    it("overlaps is symmetric and catches nesting and shared edges", () => {
      const cases: [string, string, boolean][] = [
        ["10.60.0.0/20", "10.61.0.0/16", false],
        ["10.60.0.0/20", "10.60.15.240/28", true],
        ["10.60.0.0/16", "10.60.128.0/17", true],
        ["10.60.0.0/20", "10.60.16.0/20", false],
        ["10.62.0.0/28", "10.62.0.16/28", false],
        ["10.0.0.0/8", "10.255.255.255/32", true],
      ];
      for (const [a, b, expected] of cases) {
        assert.equal(overlaps(parseCidr(a), parseCidr(b)), expected, `${a} vs ${b}`);
        assert.equal(overlaps(parseCidr(b), parseCidr(a)), expected, `${b} vs ${a}`);
      }
    });
  });

  describe("isRfc1918", () => {
    it("accepts blocks inside 10/8, 172.16/12 and 192.168/16", () => {
      for (const ok of [
        "10.0.0.0/8",
        "10.60.0.0/20",
        "172.16.0.0/12",
        "172.31.255.0/24",
        "192.168.10.0/24",
      ]) {
        assert.equal(isRfc1918(parseCidr(ok)), true, ok);
      }
    });

    it("rejects public, CGNAT and straddling blocks", () => {
      for (const bad of [
        "8.8.8.0/24",
        "100.64.0.0/10",
        "172.32.0.0/16",
        "172.0.0.0/8",
        "192.169.0.0/16",
        "0.0.0.0/0",
      ]) {
        assert.equal(isRfc1918(parseCidr(bad)), false, bad);
      }
    });
  });

  describe("splitCidr", () => {
    it("gives the GlobalAddress address and prefixLength", () => {
      assert.deepEqual(splitCidr("10.61.0.0/16"), { address: "10.61.0.0", prefixLength: 16 });
      assert.deepEqual(splitCidr("192.168.4.0/24"), { address: "192.168.4.0", prefixLength: 24 });
    });

    it("refuses an unaligned block and names the aligned one", () => {
      assert.throws(() => splitCidr("10.61.3.0/16"), /10\.61\.0\.0\/16/);
    });
  });
});

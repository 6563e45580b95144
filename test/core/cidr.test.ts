import fc from 'fast-check';
import {
  cidrsOverlap, formatCidr, parseCidr, plannedRegionCidr, requireNonOverlapping, requireSubnetsFit,
} from '../../constructs/core/cidr';
import { AWS_REGIONS } from '../../constructs/core/regions';

const block = fc.record({ network: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 8, max: 28 }) })
  .map(({ network, prefix }) => ({ network: (network & (~0 << (32 - prefix))) >>> 0, prefix }));

describe('parseCidr', () => {
  test('round-trips through formatCidr', () => {
    fc.assert(fc.property(block, (b) => {
      expect(parseCidr('t', 'cidr', formatCidr(b))).toEqual(b);
    }));
  });

  test.each([
    ['10.0.0.0', "t: cidr ('10.0.0.0') is not an IPv4 CIDR block: use the form '10.0.0.0/16'"],
    ['10.0.0.256/16', "t: cidr ('10.0.0.256/16') is not an IPv4 CIDR block: use the form '10.0.0.0/16'"],
    ['10.0.0.0/33', "t: cidr ('10.0.0.0/33') is not an IPv4 CIDR block: use the form '10.0.0.0/16'"],
    ['10.0.1.0/16', "t: cidr ('10.0.1.0/16') has host bits set: use the network address 10.0.0.0/16"],
  ])('rejects %s', (cidr, message) => {
    expect(() => parseCidr('t', 'cidr', cidr)).toThrow(message);
  });
});

describe('cidrsOverlap', () => {
  test('agrees with an address-range comparison and is symmetric', () => {
    fc.assert(fc.property(block, block, (a, b) => {
      const aEnd = a.network + 2 ** (32 - a.prefix) - 1;
      const bEnd = b.network + 2 ** (32 - b.prefix) - 1;
      const expected = !(aEnd < b.network || bEnd < a.network);
      expect(cidrsOverlap(a, b)).toBe(expected);
      expect(cidrsOverlap(b, a)).toBe(expected);
    }));
  });

  test('a block overlaps itself and its sub-blocks', () => {
    fc.assert(fc.property(block, fc.integer({ min: 0, max: 4 }), (b, extra) => {
      const sub = { network: b.network, prefix: Math.min(32, b.prefix + extra) };
      expect(cidrsOverlap(b, sub)).toBe(true);
    }));
  });
});

describe('planned allocation', () => {
  test('any two distinct regions get disjoint /16 blocks inside 10.0.0.0/8', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.constantFrom(...AWS_REGIONS), { minLength: 2, maxLength: 6 }), (regions) => {
      const plan = Object.fromEntries(regions.map((r) => [r, plannedRegionCidr(r)]));
      expect(() => requireNonOverlapping('t', 'cidrs', plan)).not.toThrow();
      for (const cidr of Object.values(plan)) {
        const p = parseCidr('t', 'cidr', cidr);
        expect(p.prefix).toBe(16);
        expect(p.network >>> 24).toBe(10);
      }
    }));
  });

  test('a region keeps its block whatever the other regions are', () => {
    expect(plannedRegionCidr('eu-west-1')).toBe('10.8.0.0/16');
    expect(plannedRegionCidr('eu-central-1')).toBe('10.11.0.0/16');
  });

  test('an unknown region is refused', () => {
    expect(() => plannedRegionCidr('eu-west-9')).toThrow(
      "CIDR plan: region ('eu-west-9') is not a known AWS region: use a region code such as eu-west-1, or pass an explicit cidr");
  });

  test('a region missing the dash before its number is refused with its correct spelling', () => {
    expect(() => plannedRegionCidr('eu-west1')).toThrow(
      "CIDR plan: region ('eu-west1') is not a known AWS region: write it eu-west-1, or pass an explicit cidr");
  });

  test('overlapping CIDRs name both regions and the planned fix', () => {
    expect(() => requireNonOverlapping('config', 'cidrs', { 'eu-west-1': '10.0.0.0/16', 'eu-central-1': '10.0.128.0/17' })).toThrow(
      "config: cidrs.eu-central-1 ('10.0.128.0/17') overlaps cidrs.eu-west-1 (10.0.0.0/16); peered regions need disjoint address space: use the planned blocks (eu-west-1: 10.8.0.0/16, eu-central-1: 10.11.0.0/16) or pick disjoint CIDRs");
  });
});

describe('requireSubnetsFit', () => {
  test('three AZs of /24 + /19 + /22 fit a /16', () => {
    expect(() => requireSubnetsFit('t', '10.0.0.0/16', 3, { public: 24, private: 19, isolated: 22 })).not.toThrow();
  });

  test('too many AZs for the block is refused with the arithmetic', () => {
    expect(() => requireSubnetsFit('t', '10.0.0.0/16', 8, { public: 24, private: 18, isolated: 22 })).toThrow(
      "t: cidr ('10.0.0.0/16') is too small for 8 AZs of public /24, private /18 and isolated /22 subnets (141312 addresses needed, 65536 available): use a larger block (a /16 is planned per region) or longer subnet masks");
  });
});

import { PlatformValidationError } from './errors';
import { AWS_REGIONS, isKnownRegion, misspelledRegion } from './regions';

/** An IPv4 CIDR block as integers. */
export interface ParsedCidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly network: number;
  /** The prefix length, 0-32. */
  readonly prefix: number;
}

/** Parse `a.b.c.d/n`; throws a {@link PlatformValidationError} for anything else, or when host bits are set. */
export function parseCidr(where: string, prop: string, cidr: string): ParsedCidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix > 32) {
    throw new PlatformValidationError(where, prop, cidr, 'is not an IPv4 CIDR block', "use the form '10.0.0.0/16'");
  }
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const network = prefix === 0 ? 0 : (address & (~0 << (32 - prefix))) >>> 0;
  if (network !== address) {
    throw new PlatformValidationError(where, prop, cidr, 'has host bits set',
      `use the network address ${formatCidr({ network, prefix })}`);
  }
  return { network, prefix };
}

/** Render a parsed block back to `a.b.c.d/n`. */
export function formatCidr(c: ParsedCidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

/** Number of addresses in the block. */
export function cidrSize(c: ParsedCidr): number {
  return 2 ** (32 - c.prefix);
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: ParsedCidr, b: ParsedCidr): boolean {
  const aEnd = a.network + cidrSize(a) - 1;
  const bEnd = b.network + cidrSize(b) - 1;
  return a.network <= bEnd && b.network <= aEnd;
}

/** The supernet the planned allocation draws from: one /16 per region. */
export const PLANNED_SUPERNET = '10.0.0.0/8';

/**
 * The planned VPC CIDR of a region: each known region owns a fixed /16 of 10.0.0.0/8 (its index in
 * {@link AWS_REGIONS}), so any set of regions peers without overlap and a region's block never depends on
 * which other regions are in use or which one is primary.
 */
export function plannedRegionCidr(region: string): string {
  if (!isKnownRegion(region)) {
    const corrected = misspelledRegion(region);
    throw new PlatformValidationError('CIDR plan', 'region', region, 'is not a known AWS region',
      `${corrected ? `write it ${corrected}` : 'use a region code such as eu-west-1'}, or pass an explicit cidr`);
  }
  const index = AWS_REGIONS.indexOf(region);
  return `10.${index}.0.0/16`;
}

/**
 * Throws when two entries overlap. `cidrs` maps a label (usually the region) to its block; the message names
 * both labels and both blocks.
 */
export function requireNonOverlapping(where: string, prop: string, cidrs: Readonly<Record<string, string>>): void {
  const entries = Object.entries(cidrs).map(([label, cidr]) => ({ label, cidr, parsed: parseCidr(where, `${prop}.${label}`, cidr) }));
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      if (cidrsOverlap(entries[i].parsed, entries[j].parsed)) {
        throw new PlatformValidationError(where, `${prop}.${entries[j].label}`, entries[j].cidr,
          `overlaps ${prop}.${entries[i].label} (${entries[i].cidr}); peered regions need disjoint address space`,
          `use the planned blocks (${plannedCidrHint(entries[i].label)}, ${plannedCidrHint(entries[j].label)}) or pick disjoint CIDRs`);
      }
    }
  }
}

function plannedCidrHint(label: string): string {
  return isKnownRegion(label) ? `${label}: ${plannedRegionCidr(label)}` : `${label}: a /16 of ${PLANNED_SUPERNET}`;
}

/** Subnet sizes of a network, as CIDR prefix lengths per tier. */
export interface SubnetMasks {
  readonly public: number;
  readonly private: number;
  readonly isolated: number;
}

/**
 * Throws unless `azCount` zones of the three subnet tiers fit into the VPC block. The subnet masks must be
 * longer than (inside) the VPC prefix.
 */
export function requireSubnetsFit(where: string, vpcCidr: string, azCount: number, masks: SubnetMasks): void {
  const vpc = parseCidr(where, 'cidr', vpcCidr);
  for (const [tier, mask] of Object.entries(masks)) {
    if (!Number.isInteger(mask) || mask <= vpc.prefix || mask > 28) {
      throw new PlatformValidationError(where, `${tier}SubnetMask`, mask,
        `must be from ${vpc.prefix + 1} to 28 for a /${vpc.prefix} VPC`, `pick a mask between ${vpc.prefix + 1} and 28`);
    }
  }
  const needed = azCount * (2 ** (32 - masks.public) + 2 ** (32 - masks.private) + 2 ** (32 - masks.isolated));
  if (needed > cidrSize(vpc)) {
    throw new PlatformValidationError(where, 'cidr', vpcCidr,
      `is too small for ${azCount} AZs of public /${masks.public}, private /${masks.private} and isolated /${masks.isolated} subnets (${needed} addresses needed, ${cidrSize(vpc)} available)`,
      'use a larger block (a /16 is planned per region) or longer subnet masks');
  }
}

import { PlatformValidationError } from './errors';

/** Commercial AWS regions this project knows the availability zones of. */
export const AWS_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2',
  'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
  'ap-east-1', 'me-south-1', 'me-central-1', 'il-central-1', 'af-south-1',
] as const;

/** A region identifier from {@link AWS_REGIONS}. */
export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * Zone letters that differ from `a, b, c` for every account. Offline synthesis cannot look zones up, so they
 * come from here (or from the `-c primaryAzs=...` override); a deploy into a zone the account lacks fails early.
 */
const ZONE_LETTERS: Partial<Record<AwsRegion, readonly string[]>> = {
  'ap-northeast-1': ['a', 'c', 'd'],
  'us-west-1': ['a', 'c'],
  'ca-central-1': ['a', 'b', 'd'],
};

/** Whether `region` is a known commercial region. */
export function isKnownRegion(region: string): region is AwsRegion {
  return (AWS_REGIONS as readonly string[]).includes(region);
}

/** The form of every region code: `<area>-<direction>-<number>` (`eu-west-1`, `us-gov-west-1`). */
const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The known region `region` misspells (`eu-west1`, `EU_WEST_1` -> `eu-west-1`), if any. */
export function misspelledRegion(region: string): AwsRegion | undefined {
  const dashed = region.trim().toLowerCase().replace(/_/g, '-').replace(/([a-z])(\d+)$/, '$1-$2');
  return dashed !== region && isKnownRegion(dashed) ? dashed : undefined;
}

/**
 * How to fix an unknown region: the known region it misspells (`eu-west1` -> `eu-west-1`), else known regions of the
 * same area.
 */
export function regionFix(region: string): string {
  const corrected = misspelledRegion(region);
  if (corrected) return `write it ${corrected} (a region code has a dash before its number)`;
  const near = AWS_REGIONS.filter((r) => r.split('-')[0] === region.split('-')[0]);
  return `use a region code such as ${(near.length > 0 ? near : AWS_REGIONS).slice(0, 4).join(', ')}`;
}

/** Throws unless `region` is a known region; names the prop and suggests the closest spelling. */
export function requireRegion(where: string, prop: string, region: string): AwsRegion {
  if (!isKnownRegion(region)) {
    throw new PlatformValidationError(where, prop, region, 'is not a known AWS region', regionFix(region));
  }
  return region;
}

/**
 * Throws unless `region` has the form of a region code (`eu-west-1`); a region this project does not know yet but
 * that is well formed passes (its zones and CIDR then have to be given).
 */
export function requireRegionFormat(where: string, prop: string, region: string): void {
  if (!REGION_CODE.test(region)) {
    throw new PlatformValidationError(where, prop, region, 'is not an AWS region code (<area>-<direction>-<number>)', regionFix(region));
  }
}

/** The first `count` availability zones of `region`, without a lookup. */
export function defaultAvailabilityZones(region: AwsRegion, count: number): string[] {
  const letters = ZONE_LETTERS[region] ?? ['a', 'b', 'c'];
  return letters.slice(0, count).map((l) => `${region}${l}`);
}

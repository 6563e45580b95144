import { DrTier } from '../../constructs/core/dr-tier';

describe('DrTier', () => {
  test('ids are the platform:dr-tier tag values, cheapest first', () => {
    expect(DrTier.ALL.map((t) => t.id)).toEqual(['backup-restore', 'pilot-light', 'warm-standby', 'active-active']);
    expect(DrTier.ALL.map((t) => t.costRank)).toEqual([0, 1, 2, 3]);
  });

  test('fromId returns the singleton', () => {
    expect(DrTier.fromId('warm-standby')).toBe(DrTier.WARM_STANDBY);
  });

  test('fromId names the prop, value and the allowed values', () => {
    expect(() => DrTier.fromId('hot')).toThrow(
      "config: drTier ('hot') is not a DR tier: use one of backup-restore, pilot-light, warm-standby, active-active");
  });

  test('only warm standby and active-active serve from the secondary before failover', () => {
    expect(DrTier.ALL.filter((t) => t.secondaryServes)).toEqual([DrTier.WARM_STANDBY, DrTier.ACTIVE_ACTIVE]);
  });
});

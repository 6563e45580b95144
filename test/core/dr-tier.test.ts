import fc from 'fast-check';
import type { DurationText } from '../../constructs/core/duration';
import { formatDuration, parseDuration } from '../../constructs/core/duration';
import { DrTier } from '../../constructs/core/dr-tier';

const duration = fc.integer({ min: 1, max: 7 * 86400 }).map((s) => formatDuration(s));

describe('DrTier', () => {
  test('ids are the platform:dr-tier tag values, cheapest first', () => {
    expect(DrTier.ALL.map((t) => t.id)).toEqual(['backup-restore', 'pilot-light', 'warm-standby', 'active-active']);
    expect(DrTier.ALL.map((t) => t.costRank)).toEqual([0, 1, 2, 3]);
  });

  test('each more expensive tier has a strictly tighter RTO and no looser RPO', () => {
    for (let i = 1; i < DrTier.ALL.length; i++) {
      const [cheaper, dearer] = [DrTier.ALL[i - 1], DrTier.ALL[i]];
      expect(dearer.relativeCost).toBeGreaterThan(cheaper.relativeCost);
      expect(dearer.envelope.rtoSeconds).toBeLessThan(cheaper.envelope.rtoSeconds);
      expect(dearer.envelope.rpoSeconds).toBeLessThanOrEqual(cheaper.envelope.rpoSeconds);
    }
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

  describe('forObjectives', () => {
    test.each<[DurationText, DurationText, DrTier]>([
      ['1d', '1d', DrTier.BACKUP_RESTORE],
      ['8h', '24h', DrTier.BACKUP_RESTORE],
      ['8h', '12h', DrTier.PILOT_LIGHT],
      ['1h', '5m', DrTier.PILOT_LIGHT],
      ['30m', '1m', DrTier.PILOT_LIGHT],
      ['15m', '1m', DrTier.WARM_STANDBY],
      ['5m', '1m', DrTier.ACTIVE_ACTIVE],
      ['1m', '1s', DrTier.ACTIVE_ACTIVE],
    ])('RTO %s, RPO %s -> %s', (rto, rpo, tier) => {
      expect(DrTier.forObjectives({ rto, rpo })).toBe(tier);
    });

    test('property: the chosen tier meets both objectives and no cheaper tier does', () => {
      fc.assert(fc.property(duration, duration, (rto, rpo) => {
        let chosen: DrTier | undefined;
        try {
          chosen = DrTier.forObjectives({ rto, rpo });
        } catch {
          // Nothing meets them: then not even active/active does.
          expect(DrTier.ACTIVE_ACTIVE.meets({ rto, rpo })).toBe(false);
          return;
        }
        expect(chosen.meets({ rto, rpo })).toBe(true);
        for (const cheaper of DrTier.ALL.filter((t) => t.costRank < chosen!.costRank)) {
          expect(cheaper.meets({ rto, rpo })).toBe(false);
        }
      }));
    });

    test('property: relaxing an objective never picks a dearer tier', () => {
      fc.assert(fc.property(duration, duration, fc.integer({ min: 0, max: 86400 }), (rto, rpo, extra) => {
        const looser = { rto: formatDuration(parseDuration('t', 'rto', rto) + extra), rpo };
        const pick = (o: { rto: DurationText; rpo: DurationText }) => { try { return DrTier.forObjectives(o).costRank; } catch { return 99; } };
        expect(pick(looser)).toBeLessThanOrEqual(pick({ rto, rpo }));
      }));
    });

    test('objectives beyond any tier are refused with the bound', () => {
      expect(() => DrTier.forObjectives({ rto: '30s', rpo: '1m' })).toThrow(
        "objectives: rto ('30s') is below what any DR tier delivers (active-active: RTO 1m, RPO 1s): relax rto to at least 1m");
    });

    test('malformed durations are refused', () => {
      expect(() => DrTier.forObjectives({ rto: '1.5h' as DurationText, rpo: '1m' })).toThrow(
        "objectives: rto ('1.5h') is not a duration: write a whole number and a unit: '30s', '15m', '4h' or '1d'");
    });
  });

  describe('requireMeets', () => {
    test('an explicit tier that cannot meet the objectives names both and the cheapest that can', () => {
      expect(() => DrTier.PILOT_LIGHT.requireMeets({ rto: '15m', rpo: '1m' })).toThrow(
        "config: drTier ('pilot-light') cannot meet RTO 15m (it delivers 30m): use drTier warm-standby (the cheapest tier that meets RTO 15m and RPO 1m) or relax the objectives");
      expect(() => DrTier.BACKUP_RESTORE.requireMeets({ rto: '4h', rpo: '1h' })).toThrow(
        "config: drTier ('backup-restore') cannot meet RTO 4h (it delivers 8h) or RPO 1h (it delivers 1d): use drTier pilot-light (the cheapest tier that meets RTO 4h and RPO 1h) or relax the objectives");
    });

    test('a dearer tier than needed is fine', () => {
      expect(() => DrTier.ACTIVE_ACTIVE.requireMeets({ rto: '1d', rpo: '1d' })).not.toThrow();
    });
  });
});

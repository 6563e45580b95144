import { PlatformValidationError } from './errors';

/** A duration as text: a whole number and a unit, `30s`, `15m`, `4h`, `1d`. */
export type DurationText = `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

/** Seconds in `text`; throws naming the prop for anything but `<whole number><s|m|h|d>`. */
export function parseDuration(where: string, prop: string, text: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) {
    throw new PlatformValidationError(where, prop, text, 'is not a duration', "write a whole number and a unit: '30s', '15m', '4h' or '1d'");
  }
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** The shortest exact text for `seconds` (`90` -> `90s`, `3600` -> `1h`). */
export function formatDuration(seconds: number): DurationText {
  for (const unit of ['d', 'h', 'm'] as const) {
    if (seconds >= UNIT_SECONDS[unit] && seconds % UNIT_SECONDS[unit] === 0) return `${seconds / UNIT_SECONDS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

// The multi-region platform: re-exported by name from constructs/index.ts.
export { AccountBaselineStack, RegionalBaselineStack } from './baseline-stacks';
export type { AccountBaselineStackProps, RegionalBaselineStackProps } from './baseline-stacks';
export { GlobalStack } from './global-stack';
export type { GlobalStackProps } from './global-stack';
export { MultiRegionPlatform } from './multi-region-platform';
export type { ActiveRegion, MultiRegionPlatformProps, PlatformDomain, PlatformRegion, PlatformSpec } from './multi-region-platform-props';
export { PrimaryBaseStack } from './primary-base-stack';
export type { PrimaryBaseStackProps } from './primary-base-stack';
export { PrimaryRegionStack } from './primary-region-stack';
export type { PrimaryRegionStackProps } from './primary-region-stack';
export type { RegionalApp } from './regional-app';
export type { RegionalObservability } from './regional-observability';
export { SecondaryBaseStack } from './secondary-base-stack';
export type { SecondaryBaseStackProps } from './secondary-base-stack';
export { SecondaryRegionStack, secondaryRegionShape } from './secondary-region-stack';
export type { SecondaryRegionShape, SecondaryRegionStackProps } from './secondary-region-stack';

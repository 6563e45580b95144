import type { App } from 'aws-cdk-lib';
import { RUNBOOK_BASE_URL_CONTEXT_KEY, platformStackId } from '../constructs';
import type { PlatformStackRole } from '../constructs';
import type { PlatformConfig } from './config';
import { GlobalStack } from './global-stack';
import { PrimaryBaseStack } from './primary-base-stack';
import { PrimaryStack } from './primary-stack';
import { SecondaryBaseStack } from './secondary-base-stack';
import { SecondaryStack, secondaryShape } from './secondary-stack';

/** The stacks of the reference platform, in deployment order. */
export interface Platform {
  readonly primaryBase: PrimaryBaseStack;
  readonly secondaryBase: SecondaryBaseStack;
  readonly primary: PrimaryStack;
  /** Pilot light and up: the application in the secondary region. */
  readonly secondary?: SecondaryStack;
  /** us-east-1: CloudFront, WAF, the Region switch plan. */
  readonly global: GlobalStack;
}

/** Stack IDs are `<service>-<part>` (the library's {@link platformStackId}): stable, so `cdk deploy <id>` and drills can name them. */
export function stackId(config: PlatformConfig, part: PlatformStackRole): string {
  return platformStackId(config.service, part);
}

/** Composes the reference platform for the configured DR tier into `app`. */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  app.node.setContext(RUNBOOK_BASE_URL_CONTEXT_KEY, config.runbookBaseUrl);
  const primaryBase = new PrimaryBaseStack(app, stackId(config, 'primary-base'), { config });
  const secondaryBase = new SecondaryBaseStack(app, stackId(config, 'secondary-base'), { config });
  const primary = new PrimaryStack(app, stackId(config, 'primary'), { config, base: primaryBase, secondaryBase });
  const secondary = secondaryShape(config.drTier)
    ? new SecondaryStack(app, stackId(config, 'secondary'), { config, base: secondaryBase, primary, primaryBase })
    : undefined;
  const global = new GlobalStack(app, stackId(config, 'global'), { config, primary, secondary, primaryBase });
  return { primaryBase, secondaryBase, primary, secondary, global };
}

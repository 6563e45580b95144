import type { App } from 'aws-cdk-lib';
import { RUNBOOK_BASE_URL_CONTEXT_KEY } from '../constructs';
import type { PlatformConfig } from './config';
import { PrimaryStack } from './primary-stack';

/** The stacks of the reference platform. */
export interface Platform {
  readonly primary: PrimaryStack;
}

/** Stack IDs are `<service>-<role>`: stable, so `cdk deploy <id>` and drills can name them. */
export function stackId(config: PlatformConfig, role: 'primary' | 'secondary' | 'global'): string {
  return `${config.service}-${role}`;
}

/** Composes the reference platform into `app`. */
export function buildPlatform(app: App, config: PlatformConfig): Platform {
  app.node.setContext(RUNBOOK_BASE_URL_CONTEXT_KEY, config.runbookBaseUrl);
  const primary = new PrimaryStack(app, stackId(config, 'primary'), { config });
  return { primary };
}

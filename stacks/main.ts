/**
 * CDK app entry (cdk.json: `npx tsx stacks/main.ts`). Reads config from context, composes the reference
 * platform, and runs the compliance packs on synth. Offline: no lookups, no credentials, no Docker.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from './config';
import { addCompliancePacks } from './nag';
import { buildPlatform } from './platform';

const app = new App();
const config = loadConfig((key) => app.node.tryGetContext(key));
buildPlatform(app, config);
addCompliancePacks(app);
app.synth();

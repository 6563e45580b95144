/**
 * The optional EKS platform (`npm run synth:eks`): the reference charts on Amazon EKS through CDK, Prometheus
 * remote-writing to Amazon Managed Service for Prometheus. Not part of the default app (stacks/main.ts).
 * Same config as the default app (`-c account=... -c primaryRegion=... -c drTier=...`); offline synthesis.
 */
import { App } from 'aws-cdk-lib';
import { loadConfig } from '../config';
import { addCompliancePacks } from '../nag';
import { EksPlatformStack } from './eks-platform-stack';

const app = new App();
const config = loadConfig((key) => app.node.tryGetContext(key));
new EksPlatformStack(app, `${config.service}-eks`, {
  env: { account: config.account, region: config.primaryRegion },
  availabilityZones: config.primaryAzs,
  service: config.service,
  regionRole: 'primary',
  drTier: config.drTier,
  image: config.image,
  runbookBaseUrl: config.runbookBaseUrl,
});
addCompliancePacks(app);
app.synth();

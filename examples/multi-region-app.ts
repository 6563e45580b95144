import { App, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { MultiRegionPlatform, Slo } from 'platform-stacks';

const app = new App();
// Two regions at the cheapest DR tier that meets the objectives (RTO 15 min, RPO 1 min: warm standby), in the
// order a deploy needs; `npx cdk deploy --all` deploys them.
const platform = new MultiRegionPlatform(app, {
  service: 'orders',
  account: '123456789012',
  primaryRegion: { region: 'eu-west-1' },
  secondaryRegion: { region: 'eu-central-1' },
  recoveryObjectives: { rto: '15m', rpo: '1m' },
  slos: [
    Slo.availability({ service: 'orders', target: 0.999, periodDays: 30 }),
    Slo.latency({ service: 'orders', threshold: 0.25, target: 0.99, periodDays: 30 }),
  ],
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/my-team/orders:2.0.1'),
});
// Every stack and construct stays reachable for further composition, e.g. who gets paged in each region.
for (const region of [platform.primary, platform.secondary]) {
  region?.observability.topics.critical.addSubscription(new subscriptions.UrlSubscription('https://events.pagerduty.com/integration/abc123/enqueue'));
}
// The compliance packs run on every synth: a finding the library neither fixes nor acknowledges fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
app.synth();

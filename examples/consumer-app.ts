import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { AuroraDatabase, DrTier, MultiAzNetwork, PlatformStack, ResilientService } from 'platform-stacks';
import type { PlatformStackProps } from 'platform-stacks';

// PlatformStack = Stack + the platform tags + availability zones from config (synth stays offline).
class CheckoutStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    const network = new MultiAzNetwork(this, 'Network', { natGateways: 'per-az' });
    const database = new AuroraDatabase(this, 'Orders', { vpc: network.vpc, readers: 2 });
    const checkout = new ResilientService(this, 'Checkout', {
      vpc: network.vpc,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/my-team/checkout:1.4.2'),
      minCapacity: 3,
      maxCapacity: 12,
      environment: { DB_ENDPOINT: database.clientEndpoint },
    });
    database.connections.allowDefaultPortFrom(checkout.service);
    database.grantConnect(checkout.taskDefinition.taskRole, 'checkout');
  }
}

const app = new App();
new CheckoutStack(app, 'CheckoutStack', {
  env: { account: '123456789012', region: 'eu-west-1' },
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  service: 'checkout',
  regionRole: 'primary',
  drTier: DrTier.WARM_STANDBY,
});
app.synth();

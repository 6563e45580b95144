import { platformStackId, serviceOfPlatformStack } from '../../constructs/core/stack-naming';
import type { PlatformStackRole } from '../../constructs/core/stack-naming';

describe('platform stack naming', () => {
  test.each<[string, PlatformStackRole, string]>([
    ['checkout', 'primary-base', 'checkout-primary-base'],
    ['checkout', 'secondary', 'checkout-secondary'],
    ['my-shop', 'global', 'my-shop-global'],
  ])('%s %s is %s, and back', (service, role, id) => {
    expect(platformStackId(service, role)).toBe(id);
    expect(serviceOfPlatformStack(id, role)).toBe(service);
  });

  test('a name of another role or without a service is not read as the role\'s stack', () => {
    expect(serviceOfPlatformStack('checkout-primary', 'secondary')).toBeUndefined();
    expect(serviceOfPlatformStack('-primary', 'primary')).toBeUndefined();
    // the secondary-base stack also ends with a role name: read as the base stack it names its service right
    expect(serviceOfPlatformStack('checkout-secondary-base', 'secondary-base')).toBe('checkout');
  });
});

import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { CacheEngine } from '../cache-engine';

/** The application user's name in the secret and in the engine's ACL. */
const APP_USERNAME = 'app';

/** What {@link buildCacheUsers} builds. */
export interface CacheUsers {
  /** Credentials of the application user (generated, KMS-encrypted, retained): `username`, `password`, `user_arn`. */
  readonly secret: secretsmanager.Secret;
  /** The application user. */
  readonly appUser: elasticache.CfnUser;
  /** The user group: the disabled `default` user and the application user. */
  readonly userGroup: elasticache.CfnUserGroup;
}

/**
 * Role-based access of a `DistributedCache`, built in `scope` (construct IDs `Secret`, `DefaultUser`, `AppUser`,
 * `UserGroup`): a disabled `default` user (the engine requires one named so), an application user `app` allowed
 * every key and channel and every command except the dangerous ones, whose 64-character password Secrets Manager
 * generates in the shape its ElastiCache user rotation expects; user IDs `<base>-default`, `<base>-app`, group
 * `<base>-users`.
 */
export function buildCacheUsers(scope: Construct, base: string, engine: CacheEngine, encryptionKey: kms.IKey): CacheUsers {
  const stack = Stack.of(scope);
  const appUserId = `${base}-app`;
  const userArn = stack.formatArn({ service: 'elasticache', resource: 'user', resourceName: appUserId, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const secret = new secretsmanager.Secret(scope, 'Secret', {
    description: `${scope.node.path} ElastiCache application user credentials`,
    encryptionKey,
    generateSecretString: {
      // The shape Secrets Manager's ElastiCache user rotation expects.
      secretStringTemplate: stack.toJsonString({ username: APP_USERNAME, user_arn: userArn }),
      generateStringKey: 'password',
      excludePunctuation: true,
      passwordLength: 64,
    },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const defaultUser = new elasticache.CfnUser(scope, 'DefaultUser', {
    engine: engine.name,
    userId: `${base}-default`,
    userName: 'default',
    // `off`: nobody can authenticate as this user; `-@all`: it could run no command anyway.
    accessString: 'off -@all',
    authenticationMode: { Type: 'no-password-required' },
  });
  const appUser = new elasticache.CfnUser(scope, 'AppUser', {
    engine: engine.name,
    userId: appUserId,
    userName: APP_USERNAME,
    // Every key and channel, every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, DEBUG, ...).
    accessString: 'on ~* &* +@all -@dangerous',
    authenticationMode: { Type: 'password', Passwords: [secret.secretValueFromJson('password').unsafeUnwrap()] },
  });
  const userGroup = new elasticache.CfnUserGroup(scope, 'UserGroup', {
    engine: engine.name,
    userGroupId: `${base}-users`,
    userIds: [defaultUser.ref, appUser.ref],
  });
  return { secret, appUser, userGroup };
}

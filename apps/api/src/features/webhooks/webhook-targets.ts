import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config.js';
import {
  resolveTarget,
  systemResolver,
  targetPolicyFor,
  type ResolvedAddress,
  type Resolver,
  type TargetPolicy,
} from './webhook-target.js';

/**
 * The webhook target rules in force (from NODE_ENV and WEBHOOK_ALLOWED_INTERNAL_HOSTS) and the resolver,
 * shared by registration, delivery and the test ping. Both fields may be replaced in tests (a stub resolver:
 * no test ever asks DNS or contacts an address other than loopback).
 */
@Injectable()
export class WebhookTargets {
  policy: TargetPolicy;
  resolver: Resolver = systemResolver;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.policy = targetPolicyFor(config.NODE_ENV, config.webhookAllowedInternalHosts);
  }

  /** throws TargetRefused; returns the address a delivery would connect to */
  check(url: string): Promise<ResolvedAddress> {
    return resolveTarget(this.policy, new URL(url), this.resolver);
  }
}

import { Inject, Injectable, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Role } from '../auth/actor.js';
import { PUBLIC_KEY, ROLES_KEY } from '../auth/roles.decorator.js';
import { PATIENT_DATA_KEY, type PatientDataMetadata } from './patient-data.decorator.js';

export interface RouteInfo {
  /** GET, POST, … */
  readonly method: string;
  /** `/courses/:id/history` */
  readonly path: string;
  readonly controller: string;
  readonly handler: string;
  /** the @PatientData options, when the route carries the decorator */
  readonly patientData?: PatientDataMetadata;
  /** the @Roles rule (on the handler, else its controller) as AuthGuard reads it */
  readonly roles?: readonly Role[];
  /** @Public (on the handler or its controller) */
  readonly isPublic: boolean;
}

/**
 * Every HTTP route of the app with its @PatientData options and its role rule, read from the controllers'
 * metadata (the same metadata Nest's router, AuthGuard and the interceptor use). The denied-access middleware
 * matches requests against it; the route-coverage and route-roles tests compare it with the OpenAPI document.
 */
@Injectable()
export class PatientRoutes {
  private cache: { routes: RouteInfo[]; patterns: Array<{ route: RouteInfo; pattern: RegExp }> } | undefined;

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  all(): RouteInfo[] {
    return this.build().routes;
  }

  /** the @PatientData route a request (method + path without query) is for, if any */
  match(method: string, path: string): RouteInfo | undefined {
    return this.build().patterns.find((p) => p.route.patientData && p.route.method === method && p.pattern.test(path))?.route;
  }

  private build() {
    if (this.cache) return this.cache;
    const routes: RouteInfo[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      const instance = wrapper.instance as object | undefined;
      if (!type || !instance) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, type));
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (methodPaths === undefined || requestMethod === undefined) continue;
        const patientData = this.reflector.get<PatientDataMetadata | undefined>(PATIENT_DATA_KEY, handler);
        const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, type]);
        const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, type]) === true;
        for (const prefix of prefixes) {
          for (const path of asList(methodPaths)) {
            routes.push({
              method: RequestMethod[requestMethod],
              path: joinPath(prefix, path),
              controller: type.name,
              handler: name,
              ...(patientData ? { patientData } : {}),
              ...(roles ? { roles } : {}),
              isPublic,
            });
          }
        }
      }
    }
    const patterns = routes.map((route) => ({ route, pattern: toPattern(route.path) }));
    this.cache = { routes, patterns };
    return this.cache;
  }
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return [typeof value === 'string' ? value : ''];
}

function joinPath(prefix: string, path: string): string {
  const joined = [prefix, path]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p.length > 0)
    .join('/');
  return `/${joined}`;
}

/** `/courses/:id/history` → /^\/courses\/[^/]+\/history\/?$/ (also `:id.ics` style suffixes) */
function toPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+'))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

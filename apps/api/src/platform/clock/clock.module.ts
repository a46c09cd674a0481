import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock.js';

/**
 * Provides the Clock to every module. `forRoot()` gives the system clock; a test hands its own
 * (`startTestApp(target, env, { clock })` → `createApp` → `AppModule.forRoot`) and moves it.
 */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}

import type { Projection } from '#app/projections';

/** Every read model the API keeps live. Each feature adds its projection here. */
export function allProjections(): Projection[] {
  return [];
}

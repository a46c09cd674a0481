/** Injection token for the EventStore port (an interface has no runtime identity). */
export const EVENT_STORE = Symbol('EVENT_STORE');

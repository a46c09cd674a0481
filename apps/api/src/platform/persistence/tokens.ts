/** Injection token for the EventStore port (an interface has no runtime identity). */
export const EVENT_STORE = Symbol('EVENT_STORE');

/** Injection token for this process's Leadership (is it the one running the background consumers?) */
export const LEADERSHIP = Symbol('LEADERSHIP');

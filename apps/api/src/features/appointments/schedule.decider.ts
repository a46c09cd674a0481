/** The schedule decider lives in the domain library (libs/domain/src/schedule); re-exported for the API's slices. */
export * from '#app/domain';

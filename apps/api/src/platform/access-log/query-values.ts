/** `+01:00` arrives as ` 01:00` when a client does not encode the plus sign of a query value: put it back. */
export const plusInOffset = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.replace(/ (\d{2}:?\d{2})$/, '+$1') : value;

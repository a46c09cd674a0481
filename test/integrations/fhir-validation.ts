import fhirPackage from 'fhir';

/**
 * FHIR R4 validation with the `fhir` package (FHIR.js 4.12): it ships the R4 (4.0.x) structure definitions
 * and value sets pre-parsed inside the package, so it validates offline — cardinality, types, required
 * properties, unexpected properties and bound codes. Its primitive checks use unanchored patterns and skip
 * `instant`, so the primitives we emit (id, instant, dateTime, reference) are checked here as well against
 * the R4 regular expressions, anchored.
 */
const { Fhir } = fhirPackage;
const validator = new Fhir();

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const INSTANT =
  /^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/;
const DATE_TIME =
  /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?)?)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)?)?)?$/;
const REFERENCE = /^(Practitioner|PractitionerRole|Location|Patient|Schedule|HealthcareService|Slot|Appointment)\/[A-Za-z0-9\-.]{1,64}$/;

/** every problem found (empty when the resource is valid R4) */
export function fhirProblems(resource: unknown): string[] {
  const result = validator.validate(resource as object, { errorOnUnexpected: true });
  const problems = result.messages
    .filter((m) => (m.severity as string | undefined) === 'error')
    .map((m) => `${String(m.location)}: ${String(m.message)}`);
  walk(resource, '', problems);
  return problems;
}

function walk(value: unknown, path: string, problems: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, `${path}[${i}]`, problems);
    });
    return;
  }
  if (!value || typeof value !== 'object') return;
  const node = value as Record<string, unknown>;
  const resource = typeof node.resourceType === 'string';
  for (const [key, child] of Object.entries(node)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof child === 'string') {
      if (key === 'id' && resource && !ID.test(child)) problems.push(`${at}: "${child}" is not a FHIR id`);
      if (['start', 'end', 'lastUpdated', 'timestamp'].includes(key) && !INSTANT.test(child))
        problems.push(`${at}: "${child}" is not a FHIR instant`);
      if (['created', 'date'].includes(key) && !DATE_TIME.test(child)) problems.push(`${at}: "${child}" is not a FHIR dateTime`);
      if (key === 'reference' && !REFERENCE.test(child)) problems.push(`${at}: "${child}" is not a relative reference`);
    } else {
      walk(child, at, problems);
    }
  }
}

// The FHIR feature's public surface: /fhir (R4 read and search, IHE Scheduling $find/$hold/$book).
export { FhirModule } from './fhir.module.js';

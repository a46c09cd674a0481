// One helper for the whole tree: it lives with the domain's test kit, which the library's own specs may use.
export { present } from '../../libs/domain/src/shared/testing/present.js';

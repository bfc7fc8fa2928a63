export { packageVersion } from '../runtime/package-version.js';

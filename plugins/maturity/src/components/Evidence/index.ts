export { Evidence } from './Evidence';
export { CodeText } from './CodeText';
export {
  hasSourceLocation,
  modelReferenceUrl,
  MODEL_URL,
  repositoryFileUrl,
  safeHttpUrl,
  sourceLocationUrl,
} from './urls';

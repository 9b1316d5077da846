/**
 * @module
 * The JSONL backend: the inspectable exchange format. Imports core only; never another backend.
 */
export { CHECKPOINTS_FILE_NAME, EVENTS_FILE_NAME, STATE_FILE_NAME } from './files.js';
export {
  type JsonlCreateOptions,
  JsonlEventStore,
  type JsonlOpenOptions,
} from './jsonl-event-store.js';
export { JSONL_STATE_FORMAT, type JsonlState } from './state-file.js';

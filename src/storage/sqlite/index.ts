/**
 * @module
 * The SQLite backend: the embedded default EventStore. Imports core only; never another backend.
 */
export { SQLITE_FILE_NAME, SQLITE_FORMAT } from './schema.js';
export {
  SQLITE_WRITERS,
  type SqliteCreateOptions,
  SqliteEventStore,
  type SqliteOpenOptions,
  type SqliteWriter,
  type SqliteWriterOptions,
} from './sqlite-event-store.js';

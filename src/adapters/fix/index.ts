/**
 * @module
 * FIX 4.4 tag=value adapter: codec, stream framer, repeating groups and dictionary validation
 * backed by tables generated from the QuickFIX FIX44.xml. Pure byte handling; the socket and the
 * session layer live elsewhere. Must not import storage.
 */
export {
  decodeFixMessage,
  encodeFixMessage,
  type EncodeOptions,
  fixChecksum,
  SOH,
  TAG_BEGIN_STRING,
  TAG_BODY_LENGTH,
  TAG_CHECKSUM,
  TAG_MSG_TYPE,
} from './codec.js';
export { fix44Field, fix44Group, fix44Message } from './dictionary.js';
export type { FixFieldEntry, FixGroupDef, FixMessageDef } from './dictionary-types.js';
export {
  FIX44_FIELDS,
  FIX44_HEADER_GROUPS,
  FIX44_HEADER_TAGS,
  FIX44_MESSAGES,
  FIX44_TRAILER_TAGS,
} from './fix44-tables.js';
export { FixFramer, type FixFramerOptions, type FramerEvent } from './framer.js';
export { type FixFieldSource, readGroup, validateMessage } from './groups.js';
export type { FixErrorDetails, FixField, FixMessage } from './message.js';

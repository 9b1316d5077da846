/**
 * @module
 * The WebSocket market-data feed's frames as data contracts: server messages (snapshot, update,
 * heartbeat, error) and client requests (subscribe, unsubscribe), with the adapter's own decoders
 * and its encoder as codecs. A fixture is a frame's text as it crossed the socket; the round trip
 * compares JSON values (RFC 8785 canonical form), since a frame's key order is not part of the
 * format.
 */
import {
  type ClientRequest,
  ClientRequestSchema,
  decodeClientRequest,
  decodeServerMessage,
  encodeMessage,
  type ServerMessage,
  ServerMessageSchema,
} from '../../adapters/ws/index.js';
import {
  type ContractCodec,
  type ContractFixture,
  type DataContract,
  defineContract,
} from '../../contracts/index.js';
import { canonicalize, InputError } from '../../core/index.js';

export const WS_SERVER_MESSAGE = 'ws.server-message';
export const WS_CLIENT_REQUEST = 'ws.client-request';
/** Frames carry `v: 1`; the contract is 1.0 until an optional field is added. */
export const WS_CONTRACT_VERSION = '1.0';

export const WS_CONTRACTS: readonly DataContract[] = [
  defineContract({
    name: WS_SERVER_MESSAGE,
    version: WS_CONTRACT_VERSION,
    description: 'market-data frame from the feed server: snapshot, update, heartbeat or error',
    schema: ServerMessageSchema,
  }),
  defineContract({
    name: WS_CLIENT_REQUEST,
    version: WS_CONTRACT_VERSION,
    description: 'request from a feed client: subscribe or unsubscribe',
    schema: ClientRequestSchema,
  }),
];

/**
 * The canonical text of a JSON text.
 * @throws CONTRACT_FIXTURE_INVALID when it is not JSON.
 */
export function canonicalJsonText(text: string): string {
  let value: unknown;
  // JSON.parse throws a bare SyntaxError; a damaged fixture must carry our code.
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError('CONTRACT_FIXTURE_INVALID', 'the fixture data is not JSON', {
      cause: error,
    });
  }
  return canonicalize(value);
}

const canonicalData = (fixture: ContractFixture): string => canonicalJsonText(fixture.data);

const serverMessageCodec: ContractCodec<ServerMessage> = {
  contract: { contract: WS_SERVER_MESSAGE, version: WS_CONTRACT_VERSION },
  decode: (fixture) => decodeServerMessage(fixture.data),
  encode: (message) => canonicalJsonText(encodeMessage(message)),
  encodedPart: canonicalData,
};

const clientRequestCodec: ContractCodec<ClientRequest> = {
  contract: { contract: WS_CLIENT_REQUEST, version: WS_CONTRACT_VERSION },
  decode: (fixture) => decodeClientRequest(fixture.data),
  encode: (request) => canonicalJsonText(encodeMessage(request)),
  encodedPart: canonicalData,
};

export const WS_CODECS: readonly ContractCodec[] = [serverMessageCodec, clientRequestCodec];

/*
 * SHA-256 for the ledger's hot paths, through the low-level SHA256_Init/Update/Final of the OpenSSL
 * that Node itself links and exports. crypto.hash goes through OpenSSL 3's EVP fetch and dispatch,
 * which costs about half a microsecond a call whatever the input; an entry takes four hashes, most
 * of them of 33 or 65 bytes. The low-level functions run the same SHA-NI code without that cost.
 *
 * hex(data[, start, end])        -> the digest as 64 lowercase hex digits
 * digestInto(data, out[, outAt]) -> writes the 32-byte digest into out at outAt
 *
 * data is a string (hashed as UTF-8) or a Uint8Array (bytes [start, end) of it when given).
 * Anything else, or a range outside the array, throws a TypeError or RangeError: the caller is
 * our own code, which checks its input, so these mean a bug, never outside data.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/sha.h>
#include <stdlib.h>

#define STACK_TEXT 16384

static const char HEX_DIGITS[] = "0123456789abcdef";

/* Set when a napi call fails: the error it left pending is what the caller sees. */
#define CHECK(call)                                                                      \
  do {                                                                                   \
    if ((call) != napi_ok) return 0;                                                     \
  } while (0)

typedef struct {
  const unsigned char *data;
  size_t length;
  char *heap;
  char stack[STACK_TEXT];
} input_bytes;

static int throw_error(napi_env env, int range, const char *message) {
  if (range) napi_throw_range_error(env, "ERR_SHA256_RANGE", message);
  else napi_throw_type_error(env, "ERR_SHA256_INPUT", message);
  return 0;
}

static int integer_arg(napi_env env, napi_value value, size_t *out) {
  double number;
  /* Bounded before the cast: converting a double past the range of size_t is undefined. */
  if (napi_get_value_double(env, value, &number) != napi_ok || !(number >= 0) ||
      number > 9007199254740991.0 || number != (double)(size_t)number) {
    return throw_error(env, 0, "expected a non-negative integer offset");
  }
  *out = (size_t)number;
  return 1;
}

/* The bytes of a string (as UTF-8) or of a Uint8Array, optionally [start, end) of it. */
static int bytes_of(napi_env env, napi_value *argv, size_t argc, size_t range_at,
                    input_bytes *input) {
  napi_valuetype type;
  input->heap = NULL;
  CHECK(napi_typeof(env, argv[0], &type));
  if (type == napi_string) {
    size_t units, written;
    char *buffer = input->stack;
    size_t capacity = STACK_TEXT;
    CHECK(napi_get_value_string_utf16(env, argv[0], NULL, 0, &units));
    /* A UTF-16 unit takes at most three UTF-8 bytes; one more for the terminator napi writes. */
    if (units * 3 + 1 > capacity) {
      capacity = units * 3 + 1;
      input->heap = malloc(capacity);
      if (input->heap == NULL) return throw_error(env, 1, "out of memory");
      buffer = input->heap;
    }
    CHECK(napi_get_value_string_utf8(env, argv[0], buffer, capacity, &written));
    input->data = (const unsigned char *)buffer;
    input->length = written;
    return 1;
  }
  bool is_array;
  CHECK(napi_is_typedarray(env, argv[0], &is_array));
  if (!is_array) return throw_error(env, 0, "expected a string or a Uint8Array");
  napi_typedarray_type array_type;
  size_t length;
  void *data;
  CHECK(napi_get_typedarray_info(env, argv[0], &array_type, &length, &data, NULL, NULL));
  if (array_type != napi_uint8_array) return throw_error(env, 0, "expected a Uint8Array");
  size_t start = 0, end = length;
  if (argc > range_at && !integer_arg(env, argv[range_at], &start)) return 0;
  if (argc > range_at + 1 && !integer_arg(env, argv[range_at + 1], &end)) return 0;
  if (start > end || end > length) return throw_error(env, 1, "range outside the array");
  input->data = (const unsigned char *)data + start;
  input->length = end - start;
  return 1;
}

static void digest(const input_bytes *input, unsigned char *out) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, input->data, input->length);
  SHA256_Final(out, &context);
}

static napi_value hex(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_value result = NULL;
  input_bytes input;
  unsigned char hash[SHA256_DIGEST_LENGTH];
  char text[2 * SHA256_DIGEST_LENGTH];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1) {
    throw_error(env, 0, "expected the data to hash");
    return NULL;
  }
  if (!bytes_of(env, argv, argc, 1, &input)) {
    free(input.heap);
    return NULL;
  }
  digest(&input, hash);
  free(input.heap);
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
    text[2 * i] = HEX_DIGITS[hash[i] >> 4];
    text[2 * i + 1] = HEX_DIGITS[hash[i] & 15];
  }
  if (napi_create_string_latin1(env, text, sizeof text, &result) != napi_ok) return NULL;
  return result;
}

static napi_value digest_into(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  input_bytes input;
  napi_typedarray_type out_type;
  size_t out_length, out_at = 0;
  void *out;
  bool is_array;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 2) {
    throw_error(env, 0, "expected the data to hash and an output array");
    return NULL;
  }
  if (napi_is_typedarray(env, argv[1], &is_array) != napi_ok) return NULL;
  if (!is_array) {
    throw_error(env, 0, "expected a Uint8Array for the digest");
    return NULL;
  }
  if (napi_get_typedarray_info(env, argv[1], &out_type, &out_length, &out, NULL, NULL) !=
      napi_ok) {
    return NULL;
  }
  if (out_type != napi_uint8_array) {
    throw_error(env, 0, "expected a Uint8Array for the digest");
    return NULL;
  }
  if (argc > 2 && !integer_arg(env, argv[2], &out_at)) return NULL;
  if (out_at > out_length || out_length - out_at < SHA256_DIGEST_LENGTH) {
    throw_error(env, 1, "no room for the digest");
    return NULL;
  }
  /* The whole of data: a range would need a third form; callers pass a subarray instead. */
  if (!bytes_of(env, argv, 1, 1, &input)) {
    free(input.heap);
    return NULL;
  }
  digest(&input, (unsigned char *)out + out_at);
  free(input.heap);
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  if (napi_create_function(env, "hex", NAPI_AUTO_LENGTH, hex, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "hex", fn) != napi_ok) return NULL;
  if (napi_create_function(env, "digestInto", NAPI_AUTO_LENGTH, digest_into, NULL, &fn) !=
      napi_ok) {
    return NULL;
  }
  if (napi_set_named_property(env, exports, "digestInto", fn) != napi_ok) return NULL;
  return exports;
}

/*
 * Where the members of a stored entry text are, found in one pass: the replay reads a million
 * entries and needs, of each, its stamps, type, seq and the places of its other members (and, of a
 * market-data tick, its payload's values). In JavaScript that pass costs several microseconds an
 * entry (a search, a regular expression, BigInt of a decimal text, a scan of the payload); here it
 * costs a loop over it — over the bytes a store handed out, where it can, with no string made.
 *
 * scan(line) -> 0, 1 or 2; scanBytes(bytes, start) -> 0, 1 or 2
 *
 * Only the layout the ledger writes is read, in ASCII: RFC 8785 member order, the id as 64
 * lowercase hex digits (the hash and prev are not read, only passed over), canonical integers, a
 * hybrid-clock stamp of the form <wall_ns>.<counter>@<node> for the entry's own wall_ns (or none),
 * and nothing escaped in the run, type or stamp. For anything else the answer is 0 and the caller
 * reads the text its own, slower way; so this decides nothing about what a text means, only
 * whether the fast reading applies.
 *
 * 1: the text is so laid out; `slots` (a Float64Array of SLOT_COUNT) holds the places, in UTF-16
 * units of the JavaScript string, `stamps` (a BigUint64Array of 2) wall_ns and mono_ns, and
 * `idBytes` (a Uint8Array of 32) the id's digest, decoded (see bind).
 * 2: as 1, and the entry is an md.tick whose payload is a tick's canonical text (members among the
 * nine a tick has, in order, integers safe, strings unescaped): the tick slots hold its values.
 * Either way the names in the text (type, the stamp's node, the source's text, a tick's instrument
 * and venue) come with a number, the same for the same text for the life of the module, so the
 * caller can keep one string or parsed source per number.
 *
 * A wrong argument (not a string, arrays too short) throws a TypeError: the caller is our own code.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longer texts are left to the caller: the ledger's entries are a few hundred units long. */
#define MAX_UNITS 8192

/* The slots, in the order src/replay/entry-scan.ts reads them. */
enum {
  S_CAUSES_END,
  S_PAYLOAD_END,
  S_RUN_AT,
  S_RUN_END,
  S_SEQ,
  S_SOURCE_AT,
  S_TS_AT,
  S_HLC_COUNTER,
  S_HLC_NODE_AT,
  S_HLC_NODE_END,
  S_TYPE_AT,
  S_TYPE_END,
  S_TYPE_V,
  S_TICK_MEMBERS,
  S_TICK_MASK,
  S_TICK_VALUES, /* nine: integers, or the start of a string */
  S_TICK_ENDS = S_TICK_VALUES + 9, /* nine: the end of a string member */
  /* The numbers of names (see name_id): the type, the stamp's node, the source's text, and a
     tick's instrument and venue; -1 for a name not numbered. */
  S_TYPE_ID = S_TICK_ENDS + 9,
  S_NODE_ID,
  S_SOURCE_ID,
  S_INSTRUMENT_ID,
  S_VENUE_ID,
  /* scanBytes: where the text ends in the bytes (at its newline, or their end). */
  S_LINE_END,
  SLOT_COUNT
};

/* The scan reads bytes: ASCII texts only, so a byte's place is its UTF-16 place too (see scan). */
typedef uint8_t unit;

typedef struct {
  const unit *text;
  size_t length;
} line_t;

/*
 * Whether n bytes are equal, eight at a time: of a constant length, once inlined, a few word
 * compares (a call to memcmp costs more than the compare for the short lengths here).
 */
static inline int same_bytes(const unit *a, const void *b_, size_t n) {
  const unsigned char *b = b_;
  uint64_t x, y;
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    if (x != y) return 0;
  }
  if (n >= 4) {
    uint32_t u, v;
    memcpy(&u, a, 4);
    memcpy(&v, b, 4);
    if (u != v) return 0;
    a += 4;
    b += 4;
    n -= 4;
  }
  for (; n > 0; a++, b++, n--) {
    if (*a != *b) return 0;
  }
  return 1;
}

static inline int has_n_at(const line_t *line, size_t at, const char *ascii, size_t n) {
  return at + n <= line->length && same_bytes(line->text + at, ascii, n);
}

/* Whether the ASCII literal `ascii` is in the line at `at`. */
#define has_at(line, at, ascii) has_n_at((line), (at), (ascii), sizeof(ascii) - 1)

/* Per byte of a little-endian word: 0x80 where the byte is at least lo and under hi, 0 elsewhere;
   for bytes under 0x80 (adding 0x80 - n to one sets its top bit when it is n or more, and
   carries into no other). */
#define BYTES_OF(n) (0x0101010101010101ULL * (uint64_t)(n))
#define HIGH_BITS BYTES_OF(0x80)

static inline uint64_t bytes_in(uint64_t word, unsigned lo, unsigned hi) {
  return (word + BYTES_OF(0x80 - lo)) & ~(word + BYTES_OF(0x80 - hi)) & HIGH_BITS;
}

/*
 * Whether 64 lowercase hex digits start at `at`, decoded into the 32 bytes of `out`. Eight digits
 * a word, with no branch per digit: the digits of a hash are random, and a branch on each would be
 * mispredicted about every other time.
 */
static int hex64_decode(const line_t *line, size_t at, uint8_t *out) {
  if (at + 64 > line->length) return 0;
  uint64_t bad = 0;
  for (size_t k = 0; k < 8; k++) {
    uint64_t word;
    memcpy(&word, line->text + at + 8 * k, 8);
    uint64_t letters = bytes_in(word, 'a', 'g');
    bad |= (word & HIGH_BITS) | ((bytes_in(word, '0', ':') | letters) ^ HIGH_BITS);
    /* '0'..'9' are 0x30..0x39 and 'a'..'f' 0x61..0x66: the low nibble, plus 9 for a letter. */
    uint64_t nibbles = (word & BYTES_OF(0x0f)) + (letters >> 7) * 9;
    /* Digit pairs into bytes, the first digit high, then the four bytes together. */
    uint64_t pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff00ff00ff00ffULL;
    pairs = (pairs | (pairs >> 8)) & 0x0000ffff0000ffffULL;
    uint32_t four = (uint32_t)(pairs | (pairs >> 16));
    memcpy(out + 4 * k, &four, 4);
  }
  return bad == 0;
}

/*
 * A canonical unsigned integer at `at` (0, or digits without a leading zero) of at most
 * `max_digits` digits; its end in *end. 0 when there is none.
 */
static inline int is_digit(unit c) {
  return (unsigned)(c - '0') <= 9;
}

/* Whether the 8 bytes of a little-endian word are all decimal digits. */
static inline int eight_digits(uint64_t word) {
  return ((word & 0xF0F0F0F0F0F0F0F0ULL) |
          (((word + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) ==
         0x3333333333333333ULL;
}

/* The value of eight decimal digits in a little-endian word, by pairs, fours and eights. */
static inline uint64_t eight_digits_value(uint64_t word) {
  word -= 0x3030303030303030ULL;
  word = (word * 10) + (word >> 8);
  word = (((word & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
          (((word >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >>
         32;
  return word;
}

static inline int digits_at(const line_t *line, size_t at, int max_digits, uint64_t *value,
                            size_t *end) {
  const unit *text = line->text;
  size_t i = at, limit = at + (size_t)max_digits;
  uint64_t v = 0, word;
  if (limit > line->length) limit = line->length;
  /*
   * Eight digits at a time, then one: a stamp has nineteen, and a digit at a time is a chain of
   * multiplies each waiting on the last. Nineteen digits never overflow 64 bits: only a twentieth
   * is checked.
   */
  while (i + 8 <= limit && (memcpy(&word, text + i, 8), eight_digits(word))) {
    v = v * 100000000u + eight_digits_value(word);
    i += 8;
  }
  for (; i < limit && is_digit(text[i]); i++) {
    if (i - at < 19) v = v * 10 + (uint64_t)(text[i] - '0');
    else if (__builtin_mul_overflow(v, 10, &v) ||
             __builtin_add_overflow(v, (uint64_t)(text[i] - '0'), &v)) {
      return 0;
    }
  }
  if (i < line->length && is_digit(text[i])) return 0;
  if (i == at || (line->text[at] == '0' && i - at > 1)) return 0;
  *value = v;
  *end = i;
  return 1;
}

/* Past a string whose opening quote is at `at`, escapes and all; 0 when it does not close. */
static size_t string_end(const line_t *line, size_t at) {
  for (size_t i = at + 1; i < line->length; i++) {
    if (line->text[i] == '\\') i++;
    else if (line->text[i] == '"') return i + 1;
  }
  return 0;
}

/* Past the object or array opening at `at`, by its brackets outside strings; 0 if it does not close. */
static size_t container_end(const line_t *line, size_t at) {
  size_t depth = 0;
  for (size_t i = at; i < line->length; i++) {
    unit c = line->text[i];
    if (c == '"') {
      i = string_end(line, i);
      if (i == 0) return 0;
      i--;
    } else if (c == '{' || c == '[') {
      depth++;
    } else if (c == '}' || c == ']') {
      if (depth == 0) return 0;
      if (--depth == 0) return i + 1;
    }
  }
  return 0;
}

/* Past a string with no quote or backslash in it, opening quote at `at`; 0 otherwise. */
static size_t plain_string_end(const line_t *line, size_t at) {
  if (at >= line->length || line->text[at] != '"') return 0;
  for (size_t i = at + 1; i < line->length; i++) {
    if (line->text[i] == '"') return i + 1;
    if (line->text[i] == '\\') return 0;
  }
  return 0;
}

static const char *const TICK_MEMBERS[9] = {
    "\"ask_px\":",  "\"ask_qty\":",    "\"bid_px\":",  "\"bid_qty\":", "\"feed_seq\":",
    "\"instrument\":", "\"last_px\":", "\"last_qty\":", "\"venue\":",
};
static const size_t TICK_MEMBER_LENGTHS[9] = {9, 10, 9, 10, 11, 13, 10, 11, 8};
#define TICK_INSTRUMENT 5
#define TICK_VENUE 8
#define MAX_SAFE_INTEGER 9007199254740991ULL

/*
 * Past the payload at `at` when it is a tick's canonical text, its values in the tick slots; 0
 * otherwise. Tried on every payload before its brackets are counted: a tick's text is read in one
 * pass that way, and any other payload fails at its first member.
 */
static size_t read_tick(const line_t *line, size_t at, double *slots) {
  size_t i = at + 1;
  int next = 0, members = 0, mask = 0;
  if (line->text[at] != '{') return 0;
  if (line->text[i] != '}') {
    for (;;) {
      while (next < 9 && !has_n_at(line, i, TICK_MEMBERS[next], TICK_MEMBER_LENGTHS[next])) next++;
      if (next == 9) return 0;
      size_t value_at = i + TICK_MEMBER_LENGTHS[next];
      size_t value_end;
      if (next == TICK_INSTRUMENT || next == TICK_VENUE) {
        value_end = plain_string_end(line, value_at);
        if (value_end == 0) return 0;
        slots[S_TICK_VALUES + next] = (double)(value_at + 1);
        slots[S_TICK_ENDS + next] = (double)(value_end - 1);
      } else {
        int negative = line->text[value_at] == '-';
        uint64_t value;
        if (!digits_at(line, value_at + negative, 16, &value, &value_end)) return 0;
        if (value > MAX_SAFE_INTEGER || (negative && value == 0)) return 0;
        slots[S_TICK_VALUES + next] = negative ? -(double)value : (double)value;
      }
      mask |= 1 << next;
      members++;
      next++;
      if (value_end >= line->length) return 0;
      if (line->text[value_end] == '}') {
        i = value_end;
        break;
      }
      if (line->text[value_end] != ',') return 0;
      i = value_end + 1;
    }
  }
  slots[S_TICK_MEMBERS] = members;
  slots[S_TICK_MASK] = mask;
  return i + 1;
}

/*
 * Names numbered as they are first seen: a run has a handful of types, nodes, sources,
 * instruments and venues, and the caller keeps its string (or parsed source) for each number
 * rather than cutting and comparing one per entry. Bounded: past the bound, names go unnumbered.
 */
#define MAX_NAMES 256
#define MAX_NAME_UNITS 256
/* Sources compared whole before one is scanned: a run has a handful. */
#define MAX_SOURCES 16

typedef struct {
  uint32_t hash;
  size_t length;
  unit *text;
} name_entry;

/* The kinds of names a line holds; a run of entries mostly repeats the last of each. */
enum { NAME_TYPE, NAME_NODE, NAME_SOURCE, NAME_INSTRUMENT, NAME_VENUE, NAME_KINDS };

/* Where the scans of one JavaScript environment (the main thread, a worker) write, and its names. */
typedef struct {
  double *slots;
  uint64_t *stamps;
  uint8_t *id_bytes;
  napi_ref held[3];
  int name_count;
  name_entry names[MAX_NAMES];
  /* The names that are sources' texts, most recently found first-tried. */
  int source_count;
  int last_source;
  int sources[MAX_SOURCES];
  /* Of each kind of name, the number last found plus one (0: none yet): tried first. */
  int last_names[NAME_KINDS];
} bound_arrays;

/* The number of the name in line[from, to); -1 when it is too long or the table is full. */
static int name_id(bound_arrays *bound, const line_t *line, size_t from, size_t to, int kind) {
  size_t length = to - from;
  const unit *text = line->text + from;
  int last = bound->last_names[kind] - 1;
  if (last >= 0 && bound->names[last].length == length &&
      same_bytes(bound->names[last].text, text, length)) {
    return last;
  }
  uint32_t hash = 2166136261u; /* FNV-1a */
  if (length > MAX_NAME_UNITS) return -1;
  for (size_t k = 0; k < length; k++) hash = (hash ^ text[k]) * 16777619u;
  int id = -1;
  for (int i = 0; i < bound->name_count && id < 0; i++) {
    const name_entry *name = &bound->names[i];
    if (name->hash == hash && name->length == length && same_bytes(name->text, text, length)) {
      id = i;
    }
  }
  if (id < 0) {
    if (bound->name_count == MAX_NAMES) return -1;
    unit *copy = malloc(length + 1);
    if (copy == NULL) return -1;
    memcpy(copy, text, length);
    bound->names[bound->name_count] = (name_entry){hash, length, copy};
    id = bound->name_count++;
  }
  bound->last_names[kind] = id + 1;
  return id;
}

/*
 * The number of a source seen before that the line holds at `at`, followed by the ts member, with
 * where it ends; -1 when it holds none of them. The same text as a source seen, so the same end its
 * brackets would give.
 */
static int known_source_at(bound_arrays *bound, const line_t *line, size_t at, size_t *end) {
  for (int k = 0, at_k = bound->last_source; k < bound->source_count; k++, at_k++) {
    /* Not `%`: a division costs more than the rest of the loop. */
    if (at_k == bound->source_count) at_k = 0;
    int id = bound->sources[at_k];
    const name_entry *name = &bound->names[id];
    if (at + name->length + 7 <= line->length &&
        same_bytes(line->text + at, name->text, name->length) &&
        has_at(line, at + name->length, ",\"ts\":{")) {
      bound->last_source = at_k;
      *end = at + name->length;
      return id;
    }
  }
  return -1;
}

/* Notes that name `id` is a source's text, to be compared whole from then on. */
static void note_source(bound_arrays *bound, int id) {
  if (id < 0 || bound->source_count == MAX_SOURCES) return;
  for (int k = 0; k < bound->source_count; k++) {
    if (bound->sources[k] == id) return;
  }
  bound->sources[bound->source_count++] = id;
}

/* The scan itself; see the top of the file. */
static int scan_line(const line_t *line, bound_arrays *bound) {
  double *slots = bound->slots;
  uint64_t *stamps = bound->stamps;
  size_t at, end;
  uint64_t value;
  if (!has_at(line, 0, "{\"causes\":[")) return 0;
  at = 11;
  if (line->text[at] != ']') {
    for (;;) {
      /* The causes are parsed when asked for: only where each ends is needed here. */
      if (!has_at(line, at, "\"sha256:") || !has_at(line, at + 72, "\"")) return 0;
      at += 73;
      if (at < line->length && line->text[at] == ']') break;
      if (!has_at(line, at, ",")) return 0;
      at++;
    }
  }
  at++;
  slots[S_CAUSES_END] = (double)at;
  /* ,"hash":"<64>","id":"sha256:<64>","payload": */
  /* The hash is not read; the id is, and is checked to be as the ledger writes ids. */
  if (!has_at(line, at, ",\"hash\":\"") || !has_at(line, at + 73, "\",\"id\":\"sha256:") ||
      !hex64_decode(line, at + 88, bound->id_bytes) ||
      !has_at(line, at + 152, "\",\"payload\":")) {
    return 0;
  }
  size_t payload_at = at + 164;
  if (payload_at >= line->length || line->text[payload_at] != '{') return 0;
  size_t tick_end = read_tick(line, payload_at, slots);
  size_t payload_end = tick_end != 0 ? tick_end : container_end(line, payload_at);
  if (payload_end == 0) return 0;
  slots[S_PAYLOAD_END] = (double)payload_end;
  /* ,"prev":"<64>","run":"<run>","seq":<seq>,"source":{…} */
  at = payload_end;
  if (!has_at(line, at, ",\"prev\":\"") || !has_at(line, at + 73, "\",\"run\":")) {
    return 0;
  }
  at += 81;
  end = plain_string_end(line, at);
  if (end == 0) return 0;
  slots[S_RUN_AT] = (double)at;
  slots[S_RUN_END] = (double)end;
  if (!has_at(line, end, ",\"seq\":") || !digits_at(line, end + 7, 15, &value, &at)) return 0;
  slots[S_SEQ] = (double)value;
  if (!has_at(line, at, ",\"source\":{")) return 0;
  at += 10;
  slots[S_SOURCE_AT] = (double)at;
  size_t source_at = at;
  int source_id = known_source_at(bound, line, source_at, &at);
  if (source_id < 0) {
    at = container_end(line, source_at);
    if (at == 0 || !has_at(line, at, ",\"ts\":{")) return 0;
  }
  slots[S_TS_AT] = (double)at;
  at += 7;
  /* "hlc":"<wall>.<counter>@<node>", (optional) "mono_ns":"N","wall_ns":"N"} */
  size_t hlc_wall_at = 0, hlc_wall_end = 0;
  slots[S_HLC_COUNTER] = -1;
  slots[S_HLC_NODE_AT] = 0;
  slots[S_HLC_NODE_END] = 0;
  if (has_at(line, at, "\"hlc\":\"")) {
    hlc_wall_at = at + 7;
    if (!digits_at(line, hlc_wall_at, 20, &value, &hlc_wall_end) ||
        !has_at(line, hlc_wall_end, ".") || !digits_at(line, hlc_wall_end + 1, 15, &value, &at) ||
        !has_at(line, at, "@")) {
      return 0;
    }
    slots[S_HLC_COUNTER] = (double)value;
    /* The node: anything up to the closing quote but a backslash. */
    for (end = at + 1; end < line->length && line->text[end] != '"'; end++) {
      if (line->text[end] == '\\') return 0;
    }
    if (!has_at(line, end, "\",")) return 0;
    slots[S_HLC_NODE_AT] = (double)(at + 1);
    slots[S_HLC_NODE_END] = (double)end;
    at = end + 2;
  }
  if (!has_at(line, at, "\"mono_ns\":\"") || !digits_at(line, at + 11, 20, &stamps[1], &at) ||
      !has_at(line, at, "\",\"wall_ns\":\"")) {
    return 0;
  }
  size_t wall_at = at + 13;
  if (!digits_at(line, wall_at, 20, &stamps[0], &at) || !has_at(line, at, "\"},\"type\":")) {
    return 0;
  }
  /* The stamp is read so only for the entry's own wall time; another one is left to the caller. */
  if (hlc_wall_end != 0 &&
      (hlc_wall_end - hlc_wall_at != at - wall_at ||
       !same_bytes(line->text + hlc_wall_at, line->text + wall_at, at - wall_at))) {
    return 0;
  }
  /* "type":"<type>","type_v":N,"v":N} and the end */
  at += 10;
  end = plain_string_end(line, at);
  if (end == 0) return 0;
  slots[S_TYPE_AT] = (double)(at + 1);
  slots[S_TYPE_END] = (double)(end - 1);
  if (!has_at(line, end, ",\"type_v\":") || !digits_at(line, end + 10, 15, &value, &at)) return 0;
  slots[S_TYPE_V] = (double)value;
  if (!has_at(line, at, ",\"v\":") || !digits_at(line, at + 5, 15, &value, &at) ||
      !has_at(line, at, "}") || at + 1 != line->length) {
    return 0;
  }
  int tick = tick_end != 0 && slots[S_TYPE_END] - slots[S_TYPE_AT] == 7 &&
             has_at(line, (size_t)slots[S_TYPE_AT], "md.tick\"");
  slots[S_TYPE_ID] = name_id(bound, line, (size_t)slots[S_TYPE_AT], (size_t)slots[S_TYPE_END],
                               NAME_TYPE);
  slots[S_NODE_ID] =
      slots[S_HLC_COUNTER] < 0
          ? -1
          : name_id(bound, line, (size_t)slots[S_HLC_NODE_AT], (size_t)slots[S_HLC_NODE_END],
                    NAME_NODE);
  if (source_id < 0) {
    source_id = name_id(bound, line, source_at, (size_t)slots[S_TS_AT], NAME_SOURCE);
    note_source(bound, source_id);
  }
  slots[S_SOURCE_ID] = source_id;
  slots[S_INSTRUMENT_ID] = -1;
  slots[S_VENUE_ID] = -1;
  if (!tick) return 1;
  int mask = (int)slots[S_TICK_MASK];
  if (mask & (1 << TICK_INSTRUMENT)) {
    slots[S_INSTRUMENT_ID] = name_id(bound, line, (size_t)slots[S_TICK_VALUES + TICK_INSTRUMENT],
                                     (size_t)slots[S_TICK_ENDS + TICK_INSTRUMENT], NAME_INSTRUMENT);
  }
  if (mask & (1 << TICK_VENUE)) {
    slots[S_VENUE_ID] = name_id(bound, line, (size_t)slots[S_TICK_VALUES + TICK_VENUE],
                                (size_t)slots[S_TICK_ENDS + TICK_VENUE], NAME_VENUE);
  }
  return 2;
}

static napi_value throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_ENTRY_SCAN_INPUT", message);
  return NULL;
}

/* Whether `value` is a typed array of `want` with at least `min_length` elements; its memory. */
static int typed_array_arg(napi_env env, napi_value value, napi_typedarray_type want,
                           size_t min_length, void **data, size_t *length) {
  bool is_typed;
  napi_typedarray_type type;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  if (napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) != napi_ok) return 0;
  return type == want && *length >= min_length;
}

/*
 * bind(slots, stamps, idBytes): where the scans write from now on — the id's 32 bytes, decoded,
 * into idBytes. Done once, so that a scan finds the arrays without asking V8 for their memory each
 * time. The arrays are held: their memory stays.
 */
static napi_value bind(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  bound_arrays *bound;
  void *slots, *stamps, *id_bytes;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&bound) != napi_ok) return NULL;
  if (argc < 3 || !typed_array_arg(env, argv[0], napi_float64_array, SLOT_COUNT, &slots, &length) ||
      !typed_array_arg(env, argv[1], napi_biguint64_array, 2, &stamps, &length) ||
      !typed_array_arg(env, argv[2], napi_uint8_array, 32, &id_bytes, &length)) {
    return throw_type(env,
                      "expected a Float64Array of the slot count, a BigUint64Array of 2 and a "
                      "Uint8Array of 32");
  }
  for (int i = 0; i < 3; i++) {
    if (bound->held[i] != NULL) napi_delete_reference(env, bound->held[i]);
    bound->held[i] = NULL;
    if (napi_create_reference(env, argv[i], 1, &bound->held[i]) != napi_ok) return NULL;
  }
  bound->slots = slots;
  bound->stamps = stamps;
  bound->id_bytes = id_bytes;
  return NULL;
}

/*
 * Whether the bytes are all ASCII: then each byte is one UTF-16 unit of the same text, and the
 * places a scan gives are places in the JavaScript string too. Other texts are the caller's.
 */
static int all_ascii(const unit *text, size_t length) {
  /* Eight bytes at a time: a text is hundreds of bytes, and a loop of bytes cost more than the scan. */
  uint64_t any = 0, word;
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    memcpy(&word, text + i, 8);
    any |= word;
  }
  for (; i < length; i++) any |= text[i];
  return (any & 0x8080808080808080ULL) == 0;
}

/* scan(line) -> 0, 1 or 2, into the arrays bound. */
static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  napi_valuetype type;
  bound_arrays *bound;
  char16_t units[MAX_UNITS];
  unit text[MAX_UNITS];
  line_t line = {text, 0};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&bound) != napi_ok) return NULL;
  if (bound->slots == NULL) return throw_type(env, "bind the slots before scanning");
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string) {
    return throw_type(env, "expected a string");
  }
  /* A text that fills the buffer may be longer: left to the caller, as any long text. */
  if (napi_get_value_string_utf16(env, argv[0], units, MAX_UNITS, &line.length) != napi_ok) {
    return NULL;
  }
  /* Narrowed as the compiler can do it many units at once: no test inside the loop. */
  char16_t any = 0;
  for (size_t i = 0; i < line.length; i++) any |= units[i];
  for (size_t i = 0; i < line.length; i++) text[i] = (unit)units[i];
  int status = line.length + 1 >= MAX_UNITS || any >= 0x80 ? 0 : scan_line(&line, bound);
  if (napi_create_int32(env, status, &result) != napi_ok) return NULL;
  return result;
}

/*
 * scanBytes(bytes, start) -> 0, 1 or 2: scan() of the text that starts at `start` in UTF-8 bytes
 * (a Uint8Array) and ends at the next newline or at their end, read where it lies: a store hands
 * a page of texts so, and no string is made of one that the caller reads through the slots.
 * Places in the slots are from `start`; S_LINE_END is where the text ends in the bytes, whatever
 * the answer.
 */
static napi_value scan_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], result;
  bound_arrays *bound;
  void *data;
  size_t length;
  int64_t start;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&bound) != napi_ok) return NULL;
  if (bound->slots == NULL) return throw_type(env, "bind the slots before scanning");
  if (argc < 2 || !typed_array_arg(env, argv[0], napi_uint8_array, 0, &data, &length) ||
      napi_get_value_int64(env, argv[1], &start) != napi_ok) {
    return throw_type(env, "expected a Uint8Array and a start");
  }
  if (start < 0 || (size_t)start > length) return throw_type(env, "start is outside the bytes");
  const unit *bytes = data;
  const unit *newline = memchr(bytes + start, '\n', length - (size_t)start);
  size_t end = newline == NULL ? length : (size_t)(newline - bytes);
  line_t line = {bytes + start, end - (size_t)start};
  int status = line.length + 1 >= MAX_UNITS || !all_ascii(line.text, line.length)
                   ? 0
                   : scan_line(&line, bound);
  bound->slots[S_LINE_END] = (double)end;
  if (napi_create_int32(env, status, &result) != napi_ok) return NULL;
  return result;
}

static void free_bound(napi_env env, void *data, void *hint) {
  bound_arrays *bound = data;
  (void)env;
  (void)hint;
  for (int i = 0; i < bound->name_count; i++) free(bound->names[i].text);
  free(bound);
}

NAPI_MODULE_INIT() {
  napi_value scan_fn, scan_bytes_fn, bind_fn, count;
  bound_arrays *bound = calloc(1, sizeof *bound);
  if (bound == NULL) {
    napi_throw_error(env, "ERR_ENTRY_SCAN_INIT", "out of memory");
    return NULL;
  }
  if (napi_set_instance_data(env, bound, free_bound, NULL) != napi_ok) {
    free(bound);
    return NULL;
  }
  if (napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, bound, &scan_fn) != napi_ok ||
      napi_create_function(env, "scanBytes", NAPI_AUTO_LENGTH, scan_bytes, bound,
                           &scan_bytes_fn) != napi_ok ||
      napi_create_function(env, "bind", NAPI_AUTO_LENGTH, bind, bound, &bind_fn) != napi_ok ||
      napi_set_named_property(env, exports, "scanBytes", scan_bytes_fn) != napi_ok ||
      napi_set_named_property(env, exports, "scan", scan_fn) != napi_ok ||
      napi_set_named_property(env, exports, "bind", bind_fn) != napi_ok ||
      napi_create_int32(env, SLOT_COUNT, &count) != napi_ok ||
      napi_set_named_property(env, exports, "SLOT_COUNT", count) != napi_ok) {
    return NULL;
  }
  return exports;
}
